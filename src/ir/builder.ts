/**
 * FunctionBuilder: builds an IrFunction block by block, with SSA variables (see ssa.ts).
 *
 *   const fb = new FunctionBuilder(func);
 *   const entry = fb.createBlock();
 *   fb.appendFunctionParams(entry);          // entry parameters = signature parameters
 *   fb.switchToBlock(entry); fb.sealBlock(entry);
 *   const x = fb.declareVar(I32);
 *   fb.defVar(x, fb.blockParams(entry)[0]);
 *   ... fb.ins.iadd(fb.useVar(x), one) ...
 *   fb.finalize();
 *
 * Rules: every block gets exactly one terminator, at its end; seal a block once every branch to it exists
 * (a loop header after its back edges); switch to a block before adding instructions to it (that also places
 * it in the layout, in switch order). Branches built through `ins` register predecessors automatically.
 */
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst, type Value } from './ids.js';
import { InstBuilder, type InstSink } from './inst-builder.js';
import { OPCODE_FLAGS, OpFlag, opcodeName } from './opcodes.js';
import { SSABuilder, type Variable } from './ssa.js';
import type { Type } from './types.js';
import type { DataFlowGraph } from './dfg.js';
import type { Layout } from './layout.js';
import { growI32, growU8 } from './grow.js';

export type { Variable } from './ssa.js';

export class FunctionBuilder implements InstSink {
  /** The function being built (changes only through `rebind`). */
  func: IrFunction;
  dfg: DataFlowGraph;
  layout: Layout;
  /** Builds instructions at the end of the current block. */
  ins: InstBuilder;
  readonly ssa: SSABuilder;
  private current: Block = NONE;
  /** Per block: 1 once it has a terminator. */
  private filled = new Uint8Array(16);
  /** Per block: the stamp of the last br_table that listed it (declareBranchPredecessors). */
  private destSeen = new Int32Array(16);
  private destStamp = 0;
  /** removeUnreachableBlocks: per block, the stamp of the walk that reached it; the walk's stack. */
  private reachStamp = new Int32Array(16);
  private reachStack = new Int32Array(16);
  private reachGen = 0;
  /** Source location (wasm byte offset) given to the next built instructions; -1 = none. */
  srcLoc = -1;

  constructor(func: IrFunction) {
    this.func = func;
    this.dfg = func.dfg;
    this.layout = func.layout;
    this.ins = new InstBuilder(func.dfg, this);
    this.ssa = new SSABuilder(func);
  }

  /**
   * Switches to building another function, keeping this builder's SSA tables and scratch arrays (allocating them
   * per function costs more than translating a small one). Resets the builder state, like `reset`.
   */
  rebind(func: IrFunction): void {
    if (func !== this.func) {
      this.func = func;
      this.dfg = func.dfg;
      this.layout = func.layout;
      this.ins = new InstBuilder(func.dfg, this);
      this.ssa.rebind(func);
    }
    this.reset();
  }

  /** Forgets the builder state (call after `func.clear()` to build another function with the same objects). */
  reset(): void {
    this.ssa.clear();
    this.current = NONE;
    this.filled.fill(0);
    this.srcLoc = -1;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Blocks
  // ---------------------------------------------------------------------------------------------------------

  createBlock(): Block {
    const b = this.dfg.makeBlock();
    this.ssa.ensureBlock(b);
    if (b >= this.filled.length) this.filled = growU8(this.filled, b + 1);
    this.filled[b] = 0;
    return b;
  }

  /** Adds a parameter to a block (before any branch to it exists; e.g. wasm block results). */
  appendBlockParam(b: Block, t: Type): Value {
    return this.dfg.appendBlockParam(b, t);
  }

  /** Gives block `b` one parameter per signature parameter (for the entry block). */
  appendFunctionParams(b: Block): void {
    for (const t of this.func.signature.params) this.dfg.appendBlockParam(b, t);
  }

  blockParams(b: Block): Value[] {
    return this.dfg.blockParams(b);
  }

  blockParam(b: Block, i: number): Value {
    return this.dfg.blockParam(b, i);
  }

  /** The block instructions are appended to (NONE before the first switch). */
  get currentBlock(): Block {
    return this.current;
  }

  /**
   * Makes `b` the current block, placing it at the end of the layout if it is not there yet. The previous block
   * must be terminated or still empty.
   */
  switchToBlock(b: Block): void {
    const cur = this.current;
    if (cur !== NONE && this.filled[cur] === 0 && this.layout.firstInst(cur) !== NONE) {
      throw new Error(`FunctionBuilder.switchToBlock(block${b}): block${cur} has instructions but no terminator`);
    }
    if (!this.layout.isBlockInserted(b)) this.layout.appendBlock(b);
    this.current = b;
  }

  /** True when the current block already ends with a terminator (code after it is unreachable). */
  isFilled(): boolean {
    return this.current !== NONE && this.filled[this.current] === 1;
  }

  /** True when block `b` has no instructions yet. */
  isPristine(b: Block): boolean {
    return this.layout.firstInst(b) === NONE;
  }

  /** Declares that every branch to `b` has been built. */
  sealBlock(b: Block): void {
    this.ssa.sealBlock(b);
  }

  /** Seals every block created so far. */
  sealAllBlocks(): void {
    const n = this.dfg.numBlocks;
    for (let b = 0; b < n; b++) this.ssa.sealBlock(b);
  }

  isSealed(b: Block): boolean {
    return this.ssa.isSealed(b);
  }

  /** Number of branches to `b` built so far. */
  numPredecessors(b: Block): number {
    return this.ssa.numPredecessors(b);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Variables
  // ---------------------------------------------------------------------------------------------------------

  declareVar(t: Type): Variable {
    return this.ssa.declareVar(t);
  }

  /** Sets variable `x` to `value` from here on in the current block. */
  defVar(x: Variable, value: Value): void {
    this.checkCurrent('defVar');
    this.ssa.defVar(x, value, this.current);
  }

  /** The value of `x` at this point of the current block (may add block parameters; see ssa.ts). */
  useVar(x: Variable): Value {
    this.checkCurrent('useVar');
    return this.ssa.useVar(x, this.current);
  }

  private checkCurrent(what: string): void {
    if (this.current === NONE) throw new Error(`FunctionBuilder.${what}: no current block (call switchToBlock)`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Instruction placement (InstSink)
  // ---------------------------------------------------------------------------------------------------------

  /** @internal Appends a built instruction to the current block; registers branch predecessors. */
  insertBuilt(inst: Inst): void {
    const b = this.current;
    // One test on the hot path (NONE is negative); the message is built only when it fails.
    if (b < 0 || this.filled[b] === 1) this.misplaced(inst);
    this.layout.appendInst(inst, b);
    if (this.srcLoc >= 0) this.dfg.setSrcLoc(inst, this.srcLoc);
    const flags = OPCODE_FLAGS[this.dfg.opcode(inst)]!;
    if (flags & OpFlag.Terminator) {
      this.filled[b] = 1;
      if (flags & OpFlag.Branch) this.declareBranchPredecessors(inst);
    }
  }

  private misplaced(inst: Inst): never {
    const b = this.current;
    const op = this.dfg.opcode(inst);
    if (b === NONE) throw new Error(`FunctionBuilder: ${opcodeName(op)} built with no current block`);
    throw new Error(`FunctionBuilder: ${opcodeName(op)} appended to block${b}, which already has a terminator`);
  }

  private declareBranchPredecessors(inst: Inst): void {
    const dfg = this.dfg;
    const n = dfg.numDests(inst);
    if (n === 1) {
      this.ssa.declarePredecessor(dfg.destBlock(inst, 0), inst);
      return;
    }
    if (n === 2) {
      const d0 = dfg.destBlock(inst, 0);
      const d1 = dfg.destBlock(inst, 1);
      this.ssa.declarePredecessor(d0, inst);
      if (d1 !== d0) this.ssa.declarePredecessor(d1, inst);
      return;
    }
    // br_table: one predecessor entry per distinct destination, found with a per-block stamp (linear, not n²).
    const stamp = ++this.destStamp;
    for (let k = 0; k < n; k++) {
      const dest = dfg.destBlock(inst, k);
      if (dest >= this.destSeen.length) {
        const grown = new Int32Array(Math.max(dest + 1, this.destSeen.length * 2));
        grown.set(this.destSeen);
        this.destSeen = grown;
      }
      if (this.destSeen[dest] === stamp) continue;
      this.destSeen[dest] = stamp;
      this.ssa.declarePredecessor(dest, inst);
    }
  }

  /**
   * Finishes construction: checks that every block in the layout is sealed and terminated, removes blocks that
   * cannot be reached from the entry (wasm code after `br`/`return`/`unreachable`; unless `keepUnreachable`),
   * and rewrites operands to alias-free values. Returns the function.
   *
   * Unreachable blocks are dropped because SSA construction gives them no meaningful values: a block reached
   * only around a cycle of unreachable blocks may read a variable's value from later in that cycle.
   */
  finalize(options: { keepUnreachable?: boolean } = {}): IrFunction {
    const problems: string[] = [];
    for (let b = this.layout.firstBlock; b !== NONE; b = this.layout.nextBlock(b)) {
      if (!this.ssa.isSealed(b)) problems.push(`block${b} is not sealed`);
      if (this.filled[b] !== 1) problems.push(`block${b} has no terminator`);
    }
    if (problems.length > 0) throw new Error(`FunctionBuilder.finalize(%${this.func.name}): ${problems.join('; ')}`);
    if (options.keepUnreachable !== true) this.removeUnreachableBlocks();
    this.dfg.resolveAllAliases();
    return this.func;
  }

  /** Takes blocks that no path from the entry reaches out of the layout; returns how many. */
  private removeUnreachableBlocks(): number {
    const { dfg, layout } = this;
    const entry = layout.firstBlock;
    if (entry === NONE) return 0;
    // Scratch kept by the builder (a builder builds many functions): stamp per block, and the work stack.
    const nBlocks = dfg.numBlocks;
    if (this.reachStamp.length < nBlocks) this.reachStamp = growI32(this.reachStamp, nBlocks);
    if (this.reachStack.length < nBlocks) this.reachStack = growI32(this.reachStack, nBlocks);
    const reached = this.reachStamp;
    const stamp = ++this.reachGen;
    const stack = this.reachStack;
    let top = 0;
    stack[top++] = entry;
    reached[entry] = stamp;
    while (top > 0) {
      const b = stack[--top]!;
      const term = layout.lastInst(b);
      if (term === NONE) continue;
      const nd = dfg.numDests(term);
      for (let k = 0; k < nd; k++) {
        const d = dfg.destBlock(term, k);
        if (reached[d] !== stamp) {
          reached[d] = stamp;
          stack[top++] = d;
        }
      }
    }
    let removed = 0;
    for (let b = entry; b !== NONE;) {
      const next = layout.nextBlock(b);
      if (reached[b] !== stamp) {
        layout.removeBlock(b);
        removed++;
      }
      b = next;
    }
    return removed;
  }
}
