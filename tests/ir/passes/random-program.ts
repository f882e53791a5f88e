/**
 * Random, valid, terminating IR functions for the pass tests, built with the FunctionBuilder from a seed.
 *
 * Shape: structured code over SSA variables (i32 x4, i64 x2, f64 x1): arithmetic of every integer family with
 * many small/special constants (so folding has work), repeated expressions (GVN), if/else diamonds, early
 * returns, br_table switches, counted loops nested up to three deep (LICM), conditional traps, trapping
 * divisions and conversions, calls that write memory, and memory accesses laid out like the real VMContext:
 *
 *   [0, 64)      VMContext: +0 heap base (readonly), +8 a mutable field, +16..+40 fields the code writes
 *   [512, 768)   table region (readonly)
 *   [1024, 2048) heap; in-bounds accesses are masked, unmasked ones may trap with heap_oob
 *
 * `runProgram` interprets a function on fresh memory and describes the outcome (results, trap, memory hash),
 * so a function can be compared with itself before and after optimisation.
 */
import {
  CallConv, ExtFuncData, F64, FuncKind, FunctionBuilder, I32, I64, IntCC, IrFunction, MemFlag, Opcode,
  Signature, TrapCode, type Block, type Type, type Value, type Variable,
} from '../../../src/ir/index.js';
import { HostTrap, interpret, type CallTarget } from '../../../src/ir/interpret.js';

/** mulberry32: small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MEMORY_SIZE = 2048;
export const HEAP_BASE = 1024;
const TABLE_BASE = 512;

const INT_BIN = [Opcode.iadd, Opcode.isub, Opcode.imul, Opcode.band, Opcode.bor, Opcode.bxor, Opcode.ishl,
  Opcode.ushr, Opcode.sshr, Opcode.rotl, Opcode.rotr];
const INT_DIV = [Opcode.udiv, Opcode.sdiv, Opcode.urem, Opcode.srem];
const INT_UN = [Opcode.ineg, Opcode.bnot, Opcode.clz, Opcode.ctz, Opcode.popcnt, Opcode.sextend8, Opcode.sextend16];
const INT_IMM = [Opcode.iadd_imm, Opcode.imul_imm, Opcode.band_imm, Opcode.bor_imm, Opcode.bxor_imm,
  Opcode.ishl_imm, Opcode.ushr_imm, Opcode.sshr_imm, Opcode.rotl_imm, Opcode.rotr_imm];
const FLOAT_BIN = [Opcode.fadd, Opcode.fsub, Opcode.fmul, Opcode.fdiv, Opcode.fmin, Opcode.fmax, Opcode.fcopysign];
const FLOAT_UN = [Opcode.fneg, Opcode.fabs, Opcode.sqrt, Opcode.ceil, Opcode.floor, Opcode.trunc, Opcode.nearest];
const SPECIAL = [0, 1, -1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 255, 1024, 0x7fffffff, -0x80000000];

export interface GeneratorOptions {
  /** Statement budget (default 20..60 by seed); the function grows about 5 instructions per statement. */
  statements?: number;
  /**
   * Also build blocks no path reaches (with code, jumping into joins and loop headers) and keep them, as a
   * translator may leave them: passes must cope with unreachable predecessors.
   */
  deadBlocks?: boolean;
}

export function generateFunction(seed: number, options: GeneratorOptions = {}): IrFunction {
  return new Generator(seed, options).build();
}

class Generator {
  private readonly r: () => number;
  private readonly func: IrFunction;
  private readonly fb: FunctionBuilder;
  private budget: number;
  private vmctx: Value = -1;
  private readonly intVars: Variable[] = [];
  private readonly i64Vars: Variable[] = [];
  private readonly f64Var: Variable;
  private readonly loopVars: Variable[] = [];
  private readonly fn0: number;
  private readonly fn1: number;
  /** Recently built pure expressions, re-emitted now and then so GVN finds duplicates. */
  private readonly recent: { op: number; a: Variable; b: Variable; type: Type }[] = [];

  private readonly deadBlocks: boolean;

  constructor(seed: number, options: GeneratorOptions) {
    this.r = rng(seed);
    this.deadBlocks = options.deadBlocks === true;
    this.budget = options.statements ?? 20 + this.int(40);
    const sig = new Signature([I64, I32, I32, I64, F64], [I32, I64, F64], 0);
    this.func = new IrFunction(`rand${seed}`, sig);
    const dfg = this.func.dfg;
    const s0 = dfg.importSignature(new Signature([I64, I32], [I32], 0));
    this.fn0 = dfg.importFunction(new ExtFuncData(FuncKind.wasm, 1, s0));
    const s1 = dfg.importSignature(new Signature([I64], [], -1, CallConv.system_v));
    this.fn1 = dfg.importFunction(new ExtFuncData(FuncKind.builtin, 2, s1));
    this.fb = new FunctionBuilder(this.func);
    for (let i = 0; i < 4; i++) this.intVars.push(this.fb.declareVar(I32));
    for (let i = 0; i < 2; i++) this.i64Vars.push(this.fb.declareVar(I64));
    this.f64Var = this.fb.declareVar(F64);
    for (let i = 0; i < 4; i++) this.loopVars.push(this.fb.declareVar(I32));
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  build(): IrFunction {
    const fb = this.fb;
    const ins = fb.ins;
    const entry = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const p = fb.blockParams(entry);
    this.vmctx = p[0]!;
    fb.defVar(this.intVars[0]!, p[1]!);
    fb.defVar(this.intVars[1]!, p[2]!);
    fb.defVar(this.intVars[2]!, ins.iconst(I32, this.pick(SPECIAL)));
    fb.defVar(this.intVars[3]!, ins.iconst(I32, this.int(100)));
    fb.defVar(this.i64Vars[0]!, p[3]!);
    fb.defVar(this.i64Vars[1]!, ins.iconst(I64, this.int(1000) - 500));
    fb.defVar(this.f64Var, p[4]!);
    for (const v of this.loopVars) fb.defVar(v, ins.iconst(I32, 0));
    do this.sequence(0, 0); while (this.budget > 0);
    // Return a checksum of every variable, so a wrong value anywhere shows.
    let sum32 = fb.useVar(this.intVars[0]!);
    for (let i = 1; i < this.intVars.length; i++) sum32 = ins.bxor(ins.rotlImm(sum32, 7), fb.useVar(this.intVars[i]!));
    let sum64 = fb.useVar(this.i64Vars[0]!);
    for (let i = 1; i < this.i64Vars.length; i++) sum64 = ins.iadd(ins.imulImm(sum64, 31), fb.useVar(this.i64Vars[i]!));
    ins.return_([sum32, sum64, fb.useVar(this.f64Var)]);
    fb.sealAllBlocks();
    return fb.finalize({ keepUnreachable: this.deadBlocks });
  }

  /** A block without predecessors that computes a little and jumps to `target` (not yet sealed). */
  private deadBlockInto(target: Block): void {
    const fb = this.fb;
    const dead = fb.createBlock();
    fb.sealBlock(dead);
    fb.switchToBlock(dead);
    this.arith();
    this.memory();
    fb.ins.jump(target);
  }

  private useInt(t: Type): Value {
    return this.fb.useVar(t === I32 ? this.pick(this.intVars) : this.pick(this.i64Vars));
  }

  /** An operand of type t: a variable, or now and then a (special) constant. */
  private operand(t: Type): Value {
    const c = this.int(10);
    if (c === 0) return this.fb.ins.iconst(t, this.pick(SPECIAL));
    if (c === 1) return this.fb.ins.iconst(t, this.int(64));
    return this.useInt(t);
  }

  private sequence(depth: number, loopDepth: number): void {
    for (let n = 1 + this.int(6); n > 0 && this.budget > 0; n--) {
      this.budget--;
      const c = this.int(100);
      if (c < 45) this.arith();
      else if (c < 60) this.memory();
      else if (c < 68 && depth < 4) this.ifElse(depth, loopDepth);
      else if (c < 75 && loopDepth < 3) this.loop(depth, loopDepth);
      else if (c < 78 && depth < 4) this.switchTable(depth, loopDepth);
      else if (c < 81) this.condTrap();
      else if (c < 85) this.call();
      else if (c < 88 && depth < 4) this.earlyReturn();
      else if (c < 93) this.repeat();
      else if (c < 95 && this.deadBlocks) this.deadJoin();
      else this.floatOp();
    }
  }

  private arith(): void {
    const { fb, r } = this;
    const ins = fb.ins;
    const t = r() < 0.75 ? I32 : I64;
    const dst = t === I32 ? this.pick(this.intVars) : this.pick(this.i64Vars);
    const k = this.int(12);
    let v: Value;
    if (k < 4) {
      const op = this.pick(INT_BIN);
      const a = this.pick(t === I32 ? this.intVars : this.i64Vars);
      const b = this.pick(t === I32 ? this.intVars : this.i64Vars);
      v = this.int(3) === 0 ? ins.binary(op, this.operand(t), this.operand(t)) : ins.binary(op, fb.useVar(a), fb.useVar(b));
      if (this.recent.length < 16) this.recent.push({ op, a, b, type: t });
      else this.recent[this.int(16)] = { op, a, b, type: t };
    } else if (k < 6) {
      const n = this.int(2) === 0 ? this.pick(SPECIAL) : this.int(200) - 100;
      v = ins.binaryImm(this.pick(INT_IMM), this.useInt(t), n | 0, n < 0 ? -1 : 0);
    } else if (k < 7) v = ins.unary(this.pick(INT_UN), this.operand(t));
    else if (k < 8) v = ins.binary(this.pick(INT_DIV), this.useInt(t), this.operand(t)); // may trap
    else if (k < 9) {
      const cmp = this.int(2) === 0
        ? ins.icmp(this.int(10), this.operand(t), this.operand(t))
        : ins.icmpImm(this.int(10), this.useInt(t), this.pick(SPECIAL));
      v = t === I32 ? cmp : ins.uextend(I64, cmp);
    } else if (k < 10) {
      v = ins.select(this.operand(I32), this.operand(t), this.operand(t));
    } else if (k < 11) {
      v = t === I32 ? ins.ireduce(I32, this.useInt(I64)) : this.int(2) ? ins.sextend(I64, this.useInt(I32)) : ins.uextend(I64, this.useInt(I32));
    } else {
      // x - x, x ^ x, x * 2^k, x + 0 ... written out, as a translator may produce them.
      const x = this.useInt(t);
      switch (this.int(5)) {
        case 0: v = ins.isub(x, x); break;
        case 1: v = ins.imul(x, ins.iconst(t, 1 << this.int(6))); break;
        case 2: v = ins.iadd(ins.iconst(t, 0), x); break;
        case 3: v = ins.icmpImm(IntCC.eq, ins.icmp(this.int(10), x, this.useInt(t)), 0); if (t === I64) v = ins.uextend(I64, v); break;
        default: v = ins.bxor(ins.bxor(x, ins.iconst(t, -1)), ins.iconst(t, -1));
      }
    }
    fb.defVar(dst, v);
  }

  private repeat(): void {
    if (this.recent.length === 0) return this.arith();
    const e = this.pick(this.recent);
    const v = this.fb.ins.binary(e.op, this.fb.useVar(e.a), this.fb.useVar(e.b));
    this.fb.defVar(this.pick(e.type === I32 ? this.intVars : this.i64Vars), v);
  }

  private floatOp(): void {
    const { fb } = this;
    const ins = fb.ins;
    const x = fb.useVar(this.f64Var);
    let v: Value;
    switch (this.int(6)) {
      case 0: v = ins.binary(this.pick(FLOAT_BIN), x, ins.f64const(this.pick([0, -0, 1, 0.5, 2.5, -3, 1e300]))); break;
      case 1: v = ins.unary(this.pick(FLOAT_UN), x); break;
      case 2: v = ins.fcvtFromSint(F64, this.useInt(this.int(2) ? I32 : I64)); break;
      case 3: {
        const i = ins.convert(this.pick([Opcode.fcvt_to_sint_sat, Opcode.fcvt_to_uint_sat, Opcode.fcvt_to_sint]), I32, x);
        fb.defVar(this.pick(this.intVars), i);
        return;
      }
      case 4: {
        const c = ins.fcmp(this.int(6), x, ins.f64const(this.int(10) - 5));
        fb.defVar(this.pick(this.intVars), c);
        return;
      }
      default: v = ins.binary(this.pick(FLOAT_BIN), ins.f64const(this.int(9) - 4), ins.f64const(this.pick([0.25, 3, -0, 7])));
    }
    fb.defVar(this.f64Var, v);
  }

  private heapBase(): Value {
    return this.fb.ins.load(I64, MemFlag.notrap | MemFlag.aligned | MemFlag.readonly | MemFlag.vmctx, this.vmctx, 0);
  }

  /** base + (x & 1016): an in-bounds heap address with room for 8 bytes. */
  private heapAddress(): Value {
    const ins = this.fb.ins;
    const index = ins.bandImm(this.useInt(I32), 1016);
    return ins.iadd(this.heapBase(), ins.uextend(I64, index));
  }

  private memory(): void {
    const { fb } = this;
    const ins = fb.ins;
    const heap = MemFlag.heap | (this.int(2) ? MemFlag.notrap : 0);
    const vm = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;
    switch (this.int(9)) {
      case 0: fb.defVar(this.pick(this.intVars), ins.load(I32, heap, this.heapAddress(), this.int(2) * 4)); break;
      case 1: fb.defVar(this.pick(this.i64Vars), ins.load(I64, heap, this.heapAddress())); break;
      case 2: fb.defVar(this.pick(this.intVars), ins.loadOp(this.pick([Opcode.uload8, Opcode.sload8, Opcode.uload16, Opcode.sload16]), I32, heap, this.heapAddress(), 1)); break;
      case 3: ins.store(heap, this.useInt(this.int(2) ? I32 : I64), this.heapAddress(), this.int(2) * 4); break;
      case 4: ins.istore8(heap, this.useInt(I32), this.heapAddress(), 3); break;
      case 5: fb.defVar(this.pick(this.i64Vars), ins.load(I64, vm, this.vmctx, 8)); break;
      case 6: ins.store(vm, this.useInt(I64), this.vmctx, this.pick([8, 16, 24])); break;
      case 7: fb.defVar(this.pick(this.intVars), ins.load(I32, MemFlag.notrap | MemFlag.readonly | MemFlag.table, this.vmctx, TABLE_BASE + 4 * this.int(8))); break;
      default: {
        // Unmasked index: traps (heap_oob) unless the value happens to be small.
        const addr = ins.iadd(this.heapBase(), ins.uextend(I64, this.useInt(I32)));
        fb.defVar(this.pick(this.intVars), ins.load(I32, MemFlag.heap, addr));
      }
    }
  }

  private condTrap(): void {
    const ins = this.fb.ins;
    const x = this.useInt(this.int(3) === 0 ? I64 : I32);
    if (this.int(2)) ins.trapz(x, TrapCode.int_divz);
    else ins.trapnz(ins.icmpImm(IntCC.ugt, x, 1 << 30), TrapCode.heap_oob);
  }

  private call(): void {
    const { fb } = this;
    if (this.int(3) === 0) {
      fb.ins.call(this.fn1, [this.vmctx]);
      return;
    }
    const inst = fb.ins.call(this.fn0, [this.vmctx, this.useInt(I32)]);
    fb.defVar(this.pick(this.intVars), this.func.dfg.firstResult(inst));
  }

  private condition(): Value {
    const ins = this.fb.ins;
    switch (this.int(5)) {
      case 0: return ins.iconst(I32, this.int(2)); // constant: CFG cleanup folds the branch
      case 1: return ins.icmpImm(this.int(10), this.useInt(I32), this.int(20) - 5);
      case 2: return this.useInt(I64);
      default: return this.useInt(I32);
    }
  }

  private ifElse(depth: number, loopDepth: number): void {
    const { fb } = this;
    const thenB = fb.createBlock();
    const elseB = fb.createBlock();
    const merge = fb.createBlock();
    fb.ins.brif(this.condition(), thenB, [], elseB, []);
    fb.sealBlock(thenB);
    fb.sealBlock(elseB);
    fb.switchToBlock(thenB);
    this.sequence(depth + 1, loopDepth);
    fb.ins.jump(merge);
    fb.switchToBlock(elseB);
    if (this.int(3) > 0) this.sequence(depth + 1, loopDepth);
    fb.ins.jump(merge);
    fb.sealBlock(merge);
    fb.switchToBlock(merge);
  }

  /** Continues in a new block that an unreachable block also jumps to. */
  private deadJoin(): void {
    const fb = this.fb;
    const cont = fb.createBlock();
    fb.ins.jump(cont);
    this.deadBlockInto(cont);
    fb.sealBlock(cont);
    fb.switchToBlock(cont);
  }

  private earlyReturn(): void {
    const { fb } = this;
    const thenB = fb.createBlock();
    const elseB = fb.createBlock();
    fb.ins.brif(fb.ins.icmpImm(IntCC.eq, this.useInt(I32), this.int(4)), thenB, [], elseB, []);
    fb.sealBlock(thenB);
    fb.sealBlock(elseB);
    fb.switchToBlock(thenB);
    fb.ins.return_([this.useInt(I32), this.useInt(I64), fb.useVar(this.f64Var)]);
    fb.switchToBlock(elseB);
  }

  private switchTable(depth: number, loopDepth: number): void {
    const { fb } = this;
    const merge = fb.createBlock();
    const targets: Block[] = [];
    for (let i = 1 + this.int(3); i > 0; i--) targets.push(fb.createBlock());
    const dflt = fb.createBlock();
    const index = this.int(4) === 0 ? fb.ins.iconst(I32, this.int(4)) : fb.ins.bandImm(this.useInt(I32), 3);
    const table = targets.map((t) => t);
    if (this.int(2)) table.push(targets[0]!); // a block reached twice from one br_table
    fb.ins.brTable(index, dflt, table);
    for (const b of [...targets, dflt]) {
      fb.sealBlock(b);
      fb.switchToBlock(b);
      if (this.int(2)) this.sequence(depth + 1, loopDepth);
      fb.ins.jump(merge);
    }
    fb.sealBlock(merge);
    fb.switchToBlock(merge);
  }

  private loop(depth: number, loopDepth: number): void {
    const { fb } = this;
    const ins = fb.ins;
    const counter = this.loopVars[loopDepth]!;
    const header = fb.createBlock();
    const body = fb.createBlock();
    const exit = fb.createBlock();
    fb.defVar(counter, ins.iconst(I32, 1 + this.int(4)));
    // Entered by a jump, or guarded ("while" shape): then LICM must create a preheader.
    if (this.int(3) === 0) ins.brif(this.useInt(I32), header, [], exit, []);
    else ins.jump(header);
    fb.switchToBlock(header);
    ins.brif(fb.useVar(counter), body, [], exit, []);
    fb.sealBlock(body);
    fb.switchToBlock(body);
    this.sequence(depth + 1, loopDepth + 1);
    // Loop-invariant work the optimiser should hoist: a heap-base load and arithmetic on it.
    if (this.int(2)) fb.defVar(this.pick(this.i64Vars), ins.iaddImm(this.heapBase(), 8));
    fb.defVar(counter, ins.iaddImm(fb.useVar(counter), -1));
    ins.jump(header);
    if (this.deadBlocks && this.int(2) === 0) this.deadBlockInto(header);
    fb.sealBlock(header);
    fb.sealBlock(exit);
    fb.switchToBlock(exit);
  }
}

/** Initial memory: deterministic bytes, with the VMContext's heap base pointing at the heap. */
export function initialMemory(seed: number): Uint8Array {
  const mem = new Uint8Array(MEMORY_SIZE);
  const r = rng(seed ^ 0x5eed);
  for (let i = 0; i < mem.length; i++) mem[i] = Math.floor(r() * 256);
  const view = new DataView(mem.buffer);
  view.setBigUint64(0, BigInt(HEAP_BASE), true);
  return mem;
}

/** The host side of calls: fn0 writes the heap and a VMContext field; fn1 bumps a counter; both deterministic. */
function host(target: CallTarget, args: bigint[], memory: Uint8Array): bigint[] {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  if (target.kind !== 'direct') throw new Error('no indirect calls here');
  if (target.func.kind === FuncKind.builtin) {
    view.setBigUint64(24, view.getBigUint64(24, true) + 1n, true);
    return [];
  }
  const x = Number(BigInt.asIntN(32, args[1]!));
  if (x === 12345) throw new HostTrap(TrapCode.unreachable);
  view.setInt32(HEAP_BASE + (x & 1020), x, true);
  view.setInt32(16, x ^ 0x55, true);
  return [BigInt.asUintN(32, BigInt(Math.imul(x, 3) + 1))];
}

function hashMemory(mem: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < mem.length; i++) h = Math.imul(h ^ mem[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}

function describeValue(t: Type, v: bigint): string {
  if (t === F64) {
    const exp = (v >> 52n) & 0x7ffn;
    const mant = v & ((1n << 52n) - 1n);
    if (exp === 0x7ffn && mant !== 0n) return 'nan'; // any NaN: wasm leaves payloads nondeterministic
  }
  return v.toString(16);
}

/** Interprets `func` with `args` on fresh memory; returns a text describing results or trap and final memory. */
export function runProgram(func: IrFunction, args: readonly bigint[], memSeed: number): string {
  const memory = initialMemory(memSeed);
  const outcome = interpret(func, args, { memory, call: host, maxSteps: 2_000_000 });
  const mem = hashMemory(memory);
  if (outcome.kind === 'trap') return `trap ${outcome.code} mem ${mem}`;
  if (outcome.kind === 'timeout') return 'timeout';
  const types = func.signature.results;
  return `return ${outcome.values.map((v, i) => describeValue(types[i]!, v)).join(',')} mem ${mem}`;
}

/** Argument sets that reach different paths (zeros, small, negative, large). */
export function argumentSets(seed: number): bigint[][] {
  const r = rng(seed * 31 + 7);
  const sets: bigint[][] = [[0n, 0n, 0n, 0n, 0n], [0n, 1n, 3n, 5n, 0x3ff8000000000000n]]; // 1.5
  for (let i = 0; i < 3; i++) {
    sets.push([0n, BigInt((r() * 2 ** 32) | 0), BigInt(Math.floor(r() * 40) - 20),
      BigInt(Math.floor(r() * 2 ** 53)) * (i === 0 ? -1n : 1n), BigInt.asUintN(64, BigInt(Math.floor(r() * 2 ** 52)) << 10n)]);
  }
  return sets;
}
