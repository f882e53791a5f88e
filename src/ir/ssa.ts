/**
 * SSA construction for variables, after Braun et al. 2013 ("Simple and Efficient Construction of Static Single
 * Assignment Form"), shaped like cranelift-frontend's ssa.rs:
 *
 * - `defVar(x, v, b)` records that x's current value in block b is v.
 * - `useVar(x, b)` returns the value of x at the current point of block b. When b does not define x, the value
 *   comes from the predecessors: along a chain of single predecessors it is simply looked up; otherwise a block
 *   parameter is added to the block where the lookup stops and each predecessor passes its own value of x.
 * - A block is *sealed* once all its predecessors are known. Lookups in unsealed blocks add a parameter and
 *   defer the predecessor lookups until `sealBlock`.
 * - A new parameter whose predecessors all pass one value (or itself) is trivial: it is removed again and
 *   becomes an alias of that value. When no predecessor defines x (unreachable code, or a use before any
 *   definition), x reads as zero.
 *
 * The recursion of the paper runs on explicit stacks, so deep CFGs cannot overflow the JS stack.
 */
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst, type Value } from './ids.js';
import { IntPairMap } from './int-pair-map.js';
import { ListPool, EMPTY_LIST } from './list-pool.js';
import { growI32, growU8 } from './grow.js';
import { Opcode } from './opcodes.js';
import { F32, F64, I32, I64, typeName, type Type } from './types.js';

/** A variable id (e.g. a wasm local index), from `declareVar`. */
export type Variable = number;

const CALL_USE_VAR = 0;
const CALL_FINISH = 1;

export class SSABuilder {
  private varTypes = new Uint8Array(16);
  private nVars = 0;
  /** (variable, block) -> latest definition of the variable in that block (see getDef/setDef). */
  private readonly defs = new IntPairMap(1024);
  /**
   * Per variable: the block and value of its most recent definition. Most lookups hit the block being filled,
   * so this answers them without hashing; the pair moves into `defs` when the variable is defined elsewhere.
   */
  private cacheBlock = new Int32Array(16);
  private cacheValue = new Int32Array(16);

  /** Per block: 1 when sealed. */
  private sealed = new Uint8Array(16);
  /** Per block: list (in `lists`) of predecessor branch instructions. */
  private preds = new Int32Array(16);
  /** Per block: list of (variable, parameter) pairs added while unsealed. */
  private undef = new Int32Array(16);
  /** Per block: visit stamp for cycle detection along single-predecessor chains. */
  private visited = new Int32Array(16);
  private stamp = 0;
  private nBlocks = 0;
  private readonly lists = new ListPool(256);

  /** Pending calls: triples (kind, block, sentinel). */
  private calls = new Int32Array(96);
  private callsTop = 0;
  /** Values produced by finished lookups. */
  private results = new Int32Array(32);
  private resultsTop = 0;

  constructor(private func: IrFunction) {}

  /** Builds SSA for another function from now on (the tables are kept; call `clear` too). */
  rebind(func: IrFunction): void {
    this.func = func;
  }

  clear(): void {
    this.nVars = 0;
    this.defs.clear();
    this.nBlocks = 0;
    this.lists.clear();
    this.callsTop = 0;
    this.resultsTop = 0;
  }

  /** Makes per-block state exist for block ids up to `b`. */
  ensureBlock(b: Block): void {
    if (b < this.nBlocks) return;
    if (b >= this.sealed.length) {
      this.sealed = growU8(this.sealed, b + 1);
      this.preds = growI32(this.preds, b + 1);
      this.undef = growI32(this.undef, b + 1);
      this.visited = growI32(this.visited, b + 1);
    }
    for (let i = this.nBlocks; i <= b; i++) {
      this.sealed[i] = 0;
      this.preds[i] = EMPTY_LIST;
      this.undef[i] = EMPTY_LIST;
      this.visited[i] = 0;
    }
    this.nBlocks = b + 1;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Variables
  // ---------------------------------------------------------------------------------------------------------

  /** Declares a new variable of type `t`; ids are dense from 0 (so wasm local i can be variable i). */
  declareVar(t: Type): Variable {
    const v = this.nVars;
    if (v === this.varTypes.length) this.varTypes = growU8(this.varTypes, v + 1);
    if (v === this.cacheBlock.length) {
      this.cacheBlock = growI32(this.cacheBlock, v + 1);
      this.cacheValue = growI32(this.cacheValue, v + 1);
    }
    this.varTypes[v] = t;
    this.cacheBlock[v] = NONE;
    this.nVars = v + 1;
    return v;
  }

  /** Latest definition of `x` in `block`, or NONE. */
  private getDef(x: Variable, block: Block): Value {
    return this.cacheBlock[x] === block ? this.cacheValue[x]! : this.defs.get(x, block);
  }

  /** Records a definition of `x` in `block`; `user` = a defVar from the builder (moves the cache there). */
  private setDef(x: Variable, block: Block, v: Value, user: boolean): void {
    const cached = this.cacheBlock[x]!;
    if (cached === block) {
      this.cacheValue[x] = v;
    } else if (user) {
      if (cached !== NONE) this.defs.set(x, cached, this.cacheValue[x]!);
      this.cacheBlock[x] = block;
      this.cacheValue[x] = v;
    } else {
      this.defs.set(x, block, v);
    }
  }

  get numVars(): number {
    return this.nVars;
  }

  varType(x: Variable): Type {
    this.checkVar(x);
    return this.varTypes[x]!;
  }

  defVar(x: Variable, value: Value, block: Block): void {
    this.checkVar(x);
    const vt = this.func.dfg.valueType(value);
    if (vt !== this.varTypes[x]) {
      throw new Error(
        `defVar: variable var${x} has type ${typeName(this.varTypes[x]!)} but v${value} has type ${typeName(vt)}`,
      );
    }
    this.setDef(x, block, value, true);
  }

  useVar(x: Variable, block: Block): Value {
    this.checkVar(x);
    const local = this.getDef(x, block);
    if (local !== NONE) return local;
    this.ensureBlock(block);
    this.useVarNonlocal(x, this.varTypes[x]!, block);
    return this.runStateMachine(x, this.varTypes[x]!);
  }

  private checkVar(x: Variable): void {
    if (!(x >= 0 && x < this.nVars)) throw new Error(`SSA: variable var${x} was not declared`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Blocks
  // ---------------------------------------------------------------------------------------------------------

  isSealed(b: Block): boolean {
    return b < this.nBlocks && this.sealed[b] === 1;
  }

  /** Records that branch `inst` (already in the layout) jumps to `dest`. */
  declarePredecessor(dest: Block, inst: Inst): void {
    this.ensureBlock(dest);
    if (this.sealed[dest] === 1) {
      throw new Error(`SSA: block${dest} is sealed; a new branch to it (inst${inst}) cannot be added`);
    }
    this.preds[dest] = this.lists.push(this.preds[dest]!, inst);
  }

  numPredecessors(b: Block): number {
    return b < this.nBlocks ? this.lists.len(this.preds[b]!) : 0;
  }

  /** Predecessor branch `i` of block `b`. */
  predecessor(b: Block, i: number): Inst {
    return this.lists.get(this.preds[b]!, i);
  }

  /** Declares that all predecessors of `b` are known and resolves the lookups deferred on it. */
  sealBlock(b: Block): void {
    this.ensureBlock(b);
    if (this.sealed[b] === 1) return;
    const undef = this.undef[b]!;
    const n = this.lists.len(undef);
    // Mark sealed first: lookups through `b` during the deferred work must see its predecessors.
    this.sealed[b] = 1;
    for (let i = 0; i < n; i += 2) {
      const x = this.lists.get(undef, i);
      const param = this.lists.get(undef, i + 1);
      this.beginPredecessorsLookup(param, b);
      this.runStateMachine(x, this.varTypes[x]!);
    }
    this.lists.free(undef);
    this.undef[b] = EMPTY_LIST;
  }

  /** The only predecessor block of a sealed block, or NONE. */
  private singlePredecessor(b: Block): Block {
    if (this.sealed[b] !== 1) return NONE;
    const h = this.preds[b]!;
    if (this.lists.len(h) !== 1) return NONE;
    return this.func.layout.instBlock(this.lists.get(h, 0));
  }

  // ---------------------------------------------------------------------------------------------------------
  // The lookup state machine
  // ---------------------------------------------------------------------------------------------------------

  private pushCall(kind: number, block: Block, sentinel: Value): void {
    if (this.callsTop + 3 > this.calls.length) this.calls = growI32(this.calls, this.callsTop + 3);
    this.calls[this.callsTop++] = kind;
    this.calls[this.callsTop++] = block;
    this.calls[this.callsTop++] = sentinel;
  }

  private pushResult(v: Value): void {
    if (this.resultsTop === this.results.length) this.results = growI32(this.results, this.resultsTop + 1);
    this.results[this.resultsTop++] = v;
  }

  private runStateMachine(x: Variable, t: Type): Value {
    while (this.callsTop > 0) {
      const sentinel = this.calls[--this.callsTop]!;
      const block = this.calls[--this.callsTop]!;
      const kind = this.calls[--this.callsTop]!;
      if (kind === CALL_USE_VAR) this.useVarNonlocal(x, t, block);
      else this.finishPredecessorsLookup(t, sentinel, block);
    }
    return this.results[--this.resultsTop]!;
  }

  /** Pushes x's value at the end of `block` onto `results` (or schedules the calls that will). */
  private useVarNonlocal(x: Variable, t: Type, block: Block): void {
    const local = this.getDef(x, block);
    if (local !== NONE) {
      this.pushResult(local);
      return;
    }
    // Walk up single-predecessor edges looking for a definition (stamping blocks to stop on cycles, which
    // only unreachable code can form).
    const stamp = ++this.stamp;
    let b = block;
    let found = NONE;
    for (;;) {
      const pred = this.singlePredecessor(b);
      if (pred === NONE) break;
      this.visited[b] = stamp;
      if (this.visited[pred] === stamp) break;
      b = pred;
      const d = this.getDef(x, b);
      if (d !== NONE) {
        found = d;
        break;
      }
    }
    let value = found;
    if (value === NONE) {
      // No definition along the chain: `b` gets a parameter for x.
      value = this.func.dfg.appendBlockParam(b, t);
      this.setDef(x, b, value, false);
      if (this.sealed[b] === 1) {
        this.beginPredecessorsLookup(value, b);
      } else {
        this.undef[b] = this.lists.push(this.lists.push(this.undef[b]!, x), value);
        this.pushResult(value);
      }
    } else {
      this.pushResult(value);
    }
    // Record the value in every block of the chain, so the next lookup is local.
    for (let c = block; c !== b; c = this.singlePredecessor(c)) this.setDef(x, c, value, false);
  }

  private beginPredecessorsLookup(sentinel: Value, dest: Block): void {
    this.pushCall(CALL_FINISH, dest, sentinel);
    const preds = this.preds[dest]!;
    const layout = this.func.layout;
    // Pushed in reverse so they run (and push their results) in predecessor order.
    for (let i = this.lists.len(preds) - 1; i >= 0; i--) {
      this.pushCall(CALL_USE_VAR, layout.instBlock(this.lists.get(preds, i)), NONE);
    }
  }

  private finishPredecessorsLookup(t: Type, sentinel: Value, dest: Block): void {
    const dfg = this.func.dfg;
    const preds = this.preds[dest]!;
    const n = this.lists.len(preds);
    const base = this.resultsTop - n;
    // Zero, one or more distinct values (ignoring the sentinel itself) flow in.
    let unique = NONE;
    let more = false;
    for (let i = 0; i < n; i++) {
      const v = dfg.resolve(this.results[base + i]!);
      if (v === sentinel || v === unique) continue;
      if (unique === NONE) unique = v;
      else {
        more = true;
        break;
      }
    }
    // A single incoming value computed inside `dest` itself can only reach `dest` around a cycle that never
    // leaves it: `dest` is unreachable (reachable code always brings a value from outside). Replacing the
    // parameter would make that value use itself, so keep the parameter instead.
    if (!more && unique !== NONE) {
      const def = dfg.valueInst(unique);
      if (def !== NONE && this.func.layout.instBlock(def) === dest) more = true;
    }
    let result = sentinel;
    if (more) {
      // The predecessors disagree: keep the parameter and pass each one's value.
      for (let i = 0; i < n; i++) {
        dfg.appendArgToBlock(this.lists.get(preds, i), dest, this.results[base + i]!);
      }
    } else {
      // Trivial: remove the parameter; it stands for the single incoming value (or zero if there is none).
      if (unique === NONE) unique = this.emitZero(t, dest);
      dfg.removeBlockParam(dest, dfg.valueNum(sentinel));
      dfg.changeToAlias(sentinel, unique);
      result = unique;
    }
    this.resultsTop = base;
    this.pushResult(result);
  }

  /** A zero of type `t` at the start of `block` (the value of a variable that is never defined). */
  private emitZero(t: Type, block: Block): Value {
    const dfg = this.func.dfg;
    const op = t === F32 ? Opcode.f32const : t === F64 ? Opcode.f64const : Opcode.iconst;
    if (t !== I32 && t !== I64 && t !== F32 && t !== F64) {
      throw new Error(`SSA: cannot make a zero of type ${typeName(t)}`);
    }
    const inst = dfg.makeInst(op, t);
    const v = dfg.makeResults(inst);
    this.func.layout.prependInst(inst, block);
    return v;
  }
}
