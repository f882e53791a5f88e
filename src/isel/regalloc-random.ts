import {
  INST_IS_CALL,
  makeOperand,
  OperandConstraint,
  OperandKind,
  OperandPos,
  PREG_XMM_BASE,
  RegClass,
  type RegAllocFunction,
} from './regalloc-types.js';
import { sysvCallClobbers } from './regalloc-env.js';
import { MockFunctionBuilder } from './regalloc-testing.js';

/** Knobs of the random function generator. */
export interface RandomFunctionOptions {
  /** Rough upper bound on instructions (the generator stops opening new regions past it). */
  readonly maxInsts: number;
  /** Maximum nesting of diamonds, switches and loops. */
  readonly maxDepth: number;
  /** Probability that a new value is a float. */
  readonly floatFraction: number;
  /** Per-instruction probability of a call (clobbers every caller-saved register). */
  readonly callRate: number;
  /** How many values a "define many" burst creates: high values force spills. */
  readonly burst: number;
  /** Probability that a use picks one of the few most recent values (else any available one). */
  readonly locality: number;
  /** Scales how often div-like, shift-like, stack-operand and mixed fixed-register instructions appear. */
  readonly exoticRate: number;
  /**
   * Probability that a jump into a join reads an operand (like a one-target jump table). With few registers this
   * can make a function infeasible unless the edge is split; the allocator then rejects it with RegAllocError.
   */
  readonly jumpOperandRate: number;
}

const DEFAULTS: RandomFunctionOptions = {
  maxInsts: 160,
  maxDepth: 3,
  floatFraction: 0.3,
  callRate: 0.06,
  burst: 12,
  locality: 0.5,
  exoticRate: 1,
  jumpOperandRate: 0.15,
};

const RAX = 0, RCX = 1, RDX = 2, RSI = 6, RDI = 7, R8 = 8, R9 = 9;
const INT_ARG_REGS = [RDI, RSI, RDX, RCX, R8, R9];
const FIXED_INT_CHOICES = [RAX, RCX, RDX, 3, RSI, RDI, R8, R9, 10, 12, 13, 14, 15];

/** Deterministic PRNG (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const use = (v: number, con: OperandConstraint, payload = 0, late = false): number =>
  makeOperand(v, OperandKind.Use, late ? OperandPos.Late : OperandPos.Early, con, payload);
const def = (v: number, con: OperandConstraint, payload = 0, early = false): number =>
  makeOperand(v, OperandKind.Def, early ? OperandPos.Early : OperandPos.Late, con, payload);

/**
 * A random valid function: structured control flow (straight runs, diamonds with join params, switches, loops with
 * the exit in the header or in the latch, empty edge blocks, jumps that read an operand) in SSA form, with random operand constraints: Reg, Any,
 * late uses, early-def temporaries, reuse defs, fixed registers (div-like rax/rdx, shift counts in rcx), calls that
 * clobber every caller-saved register, stack operands, rematerialisable constants, and bursts of many live values.
 */
export function randomFunction(seed: number, options: Partial<RandomFunctionOptions> = {}): RegAllocFunction {
  return new RandomFunctionGenerator(new Rng(seed), { ...DEFAULTS, ...options }).generate();
}

class RandomFunctionGenerator {
  private readonly b = new MockFunctionBuilder();
  private numInsts = 0;
  private numArgs = 0;

  constructor(
    private readonly rng: Rng,
    private readonly opts: RandomFunctionOptions,
  ) {}

  generate(): RegAllocFunction {
    const b = this.b;
    const rng = this.rng;
    b.block();
    // Incoming arguments: fixed defs in ABI registers.
    const avail: number[] = [];
    const argOps: number[] = [];
    const numIntArgs = 1 + rng.int(4);
    for (let k = 0; k < numIntArgs; k++) {
      const v = this.fresh(RegClass.Int);
      avail.push(v);
      argOps.push(def(v, OperandConstraint.FixedReg, INT_ARG_REGS[k]));
    }
    const numFloatArgs = rng.int(3);
    for (let k = 0; k < numFloatArgs; k++) {
      const v = this.fresh(RegClass.Float);
      avail.push(v);
      argOps.push(def(v, OperandConstraint.FixedReg, PREG_XMM_BASE + k));
    }
    this.emit(argOps);
    this.numArgs = avail.length;
    let out = this.region(avail, 0);
    while (this.numInsts < this.opts.maxInsts) out = this.region(out, 0);
    const retOps: number[] = [];
    const ri = this.pickOfClass(out, RegClass.Int);
    retOps.push(use(ri, OperandConstraint.FixedReg, RAX));
    if (rng.chance(0.5)) retOps.push(use(this.pickOfClass(out, RegClass.Float), OperandConstraint.FixedReg, PREG_XMM_BASE));
    b.ret(retOps);
    this.numInsts++;
    return b.build();
  }

  private emit(operands: number[], clobbers = 0, flags = 0): void {
    this.b.inst(operands, clobbers, flags);
    this.numInsts++;
  }

  /** Generate a region starting in the current block; returns the values available (dominating) at its end. */
  private region(availIn: number[], depth: number): number[] {
    const rng = this.rng;
    let avail = availIn.slice();
    const pieces = 1 + rng.int(4);
    for (let p = 0; p < pieces; p++) {
      const budgetLeft = this.numInsts < this.opts.maxInsts;
      const r = rng.next();
      if (!budgetLeft || depth >= this.opts.maxDepth || r < 0.4) {
        this.straight(avail, 1 + rng.int(8));
      } else if (r < 0.6) {
        avail = this.diamond(avail, depth);
      } else if (r < 0.7) {
        avail = this.switchRegion(avail, depth);
      } else {
        avail = this.loop(avail, depth);
      }
    }
    return avail;
  }

  private straight(avail: number[], count: number): void {
    for (let k = 0; k < count; k++) this.instruction(avail);
  }

  private diamond(avail: number[], depth: number): number[] {
    const b = this.b;
    const rng = this.rng;
    const head = b.currentBlock;
    const cond = this.pickOfClass(avail, RegClass.Int);
    const t = b.block();
    const endsT: [number, number[]][] = [];
    let availT = this.region(avail, depth + 1);
    endsT.push([b.currentBlock, availT]);
    let f = -1;
    const oneArmed = rng.chance(0.3);
    if (oneArmed) {
      f = b.block(); // the empty block splitting the critical edge head → join
      endsT.push([f, avail]);
    } else {
      f = b.block();
      availT = this.region(avail, depth + 1);
      endsT.push([b.currentBlock, availT]);
    }
    const params = this.newParams(1 + rng.int(3));
    const join = b.block(params);
    b.at(head).branch([use(cond, rng.chance(0.8) ? OperandConstraint.Reg : OperandConstraint.Any)], [
      [t, []],
      [f, []],
    ]);
    this.numInsts++;
    for (const [end, av] of endsT) this.jumpWithArgs(end, join, params, av);
    b.at(join);
    return avail.concat(params);
  }

  private switchRegion(avail: number[], depth: number): number[] {
    const b = this.b;
    const rng = this.rng;
    const head = b.currentBlock;
    const index = this.pickOfClass(avail, RegClass.Int);
    const n = 3 + rng.int(3);
    const targets: number[] = [];
    const ends: [number, number[]][] = [];
    for (let k = 0; k < n; k++) {
      targets.push(b.block());
      const av = rng.chance(0.5) ? this.region(avail, depth + 1) : avail;
      ends.push([b.currentBlock, av]);
    }
    const params = this.newParams(rng.int(3));
    const join = b.block(params);
    b.at(head).branch([use(index, OperandConstraint.Reg)], targets.map((t): [number, number[]] => [t, []]));
    this.numInsts++;
    for (const [end, av] of ends) this.jumpWithArgs(end, join, params, av);
    b.at(join);
    return avail.concat(params);
  }

  private loop(avail: number[], depth: number): number[] {
    const b = this.b;
    const rng = this.rng;
    const pre = b.currentBlock;
    const params = this.newParams(1 + rng.int(4));
    const header = b.block(params);
    this.jumpWithArgs(pre, header, params, avail);
    b.at(header);
    const inHeader = avail.concat(params);
    this.straight(inHeader, 1 + rng.int(3));
    const cond = this.pickOfClass(inHeader, RegClass.Int);
    if (rng.chance(0.5)) {
      // Exit from the header: header → body … latch → header; header → exit.
      const headerEnd = b.currentBlock;
      const body = b.block();
      const availBody = this.region(inHeader, depth + 1);
      this.jumpWithArgs(b.currentBlock, header, params, availBody);
      const exit = b.block();
      b.at(headerEnd).branch([use(cond, OperandConstraint.Reg)], [
        [body, []],
        [exit, []],
      ]);
      this.numInsts++;
      b.at(exit);
      return inHeader;
    }
    // Exit from the latch: header … latch → (back-edge block → header) or exit.
    const availBody = this.region(inHeader, depth + 1);
    const latch = b.currentBlock;
    const latchCond = this.pickOfClass(availBody, RegClass.Int);
    const backEdge = b.block();
    this.jumpWithArgs(backEdge, header, params, availBody);
    const exit = b.block();
    b.at(latch).branch([use(latchCond, OperandConstraint.Reg)], [
      [backEdge, []],
      [exit, []],
    ]);
    this.numInsts++;
    b.at(exit);
    return availBody;
  }

  private newParams(n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(this.fresh(this.rng.chance(this.opts.floatFraction) ? RegClass.Float : RegClass.Int));
    return out;
  }

  /** End block `from` with a jump to `to`, passing values of the params' classes from `avail`. */
  private jumpWithArgs(from: number, to: number, params: number[], avail: number[]): void {
    const b = this.b;
    b.at(from);
    const local = avail.slice(); // constants made here do not dominate anything after the jump
    const args = params.map((p) => this.pickOfClass(local, this.classOf(p)));
    if (this.rng.chance(this.opts.jumpOperandRate)) {
      // A jump that reads an operand, like a jump table whose entries all lead to one block.
      const v = this.pickOfClass(local, RegClass.Int);
      b.branch([use(v, this.rng.chance(0.7) ? OperandConstraint.Reg : OperandConstraint.Any)], [[to, args]]);
    } else {
      b.jump(to, args);
    }
    this.numInsts++;
  }

  private readonly classes: number[] = [];

  private classOf(v: number): RegClass {
    return this.classes[v] as RegClass;
  }

  /**
   * A value of class cls from avail (biased to recent ones, sometimes any), or a fresh constant emitted in the
   * current block when there is none. `avail` grows with the constant.
   */
  private pickOfClass(avail: number[], cls: RegClass): number {
    const rng = this.rng;
    const n = avail.length;
    for (let tries = 0; tries < 8 && n > 0; tries++) {
      // Near: one of the last few values. Far: a function argument (like vmctx) or one of the last sixty.
      let idx: number;
      if (rng.chance(this.opts.locality)) idx = n - 1 - rng.int(Math.min(n, 6));
      else if (rng.chance(0.3)) idx = rng.int(Math.min(n, this.numArgs));
      else idx = n - 1 - rng.int(Math.min(n, 60));
      const v = avail[idx];
      if (this.classOf(v) === cls) return v;
    }
    for (let k = n - 1; k >= 0; k--) if (this.classOf(avail[k]) === cls) return avail[k];
    const v = this.fresh(cls);
    this.b.constant(v);
    this.numInsts++;
    avail.push(v);
    return v;
  }

  private fresh(cls: RegClass): number {
    const v = this.b.vreg(cls);
    this.classes[v] = cls;
    return v;
  }

  private instruction(avail: number[]): void {
    const rng = this.rng;
    if (rng.chance(this.opts.callRate)) return this.call(avail);
    const r = rng.next();
    const x = this.opts.exoticRate;
    if (r < 0.04 * x) return this.divLike(avail);
    if (r < 0.09 * x) return this.shiftLike(avail);
    if (r < 0.13 * x) return this.stackOperands(avail);
    if (r < 0.17 * x) return this.fixedMix(avail);
    const r2 = rng.next();
    if (r2 < 0.08) return this.constant(avail);
    if (r2 < 0.12) return this.burst(avail);
    return this.alu(avail);
  }

  private alu(avail: number[]): void {
    const rng = this.rng;
    const cls = rng.chance(this.opts.floatFraction) ? RegClass.Float : RegClass.Int;
    const ops: number[] = [];
    const numUses = 1 + rng.int(3);
    for (let k = 0; k < numUses; k++) {
      const v = this.pickOfClass(avail, cls);
      const r = rng.next();
      if (k === 0 || r < 0.5) ops.push(use(v, OperandConstraint.Reg));
      else if (r < 0.8) ops.push(use(v, OperandConstraint.Any));
      else ops.push(use(v, OperandConstraint.Reg, 0, true));
    }
    const out = this.fresh(rng.chance(0.15) ? (1 - cls) as RegClass : cls);
    const outCls = this.classOf(out);
    const r = rng.next();
    if (outCls === cls && r < 0.45) ops.push(def(out, OperandConstraint.Reuse, 0));
    else if (r < 0.6) ops.push(def(out, OperandConstraint.Any));
    else if (r < 0.7) ops.push(def(out, OperandConstraint.Reg, 0, true));
    else ops.push(def(out, OperandConstraint.Reg));
    if (rng.chance(0.15)) ops.push(def(this.fresh(RegClass.Int), OperandConstraint.Reg, 0, true)); // a temporary
    this.emit(ops);
    avail.push(out);
  }

  private constant(avail: number[]): void {
    const v = this.fresh(this.rng.chance(this.opts.floatFraction) ? RegClass.Float : RegClass.Int);
    this.b.constant(v, def(v, this.rng.chance(0.7) ? OperandConstraint.Reg : OperandConstraint.Any));
    this.numInsts++;
    avail.push(v);
  }

  /** Many values defined back to back: the random uses that follow keep most of them live. */
  private burst(avail: number[]): void {
    const n = 1 + this.rng.int(this.opts.burst);
    for (let k = 0; k < n; k++) {
      if (this.rng.chance(0.3)) this.constant(avail);
      else this.alu(avail);
    }
  }

  /** x64 div: dividend in rax, high half in rdx, divisor anywhere; quotient in rax, remainder in rdx. */
  private divLike(avail: number[]): void {
    const rng = this.rng;
    const lo = this.pickOfClass(avail, RegClass.Int);
    const hi = rng.chance(0.3) ? lo : this.pickOfClass(avail, RegClass.Int);
    const divisor = this.pickOfClass(avail, RegClass.Int);
    const q = this.fresh(RegClass.Int);
    const rem = this.fresh(RegClass.Int);
    const ops = [use(lo, OperandConstraint.FixedReg, RAX), use(hi, OperandConstraint.FixedReg, RDX)];
    ops.push(use(divisor, rng.chance(0.5) ? OperandConstraint.Reg : OperandConstraint.Any));
    ops.push(def(q, OperandConstraint.FixedReg, RAX), def(rem, OperandConstraint.FixedReg, RDX));
    this.emit(ops);
    avail.push(q, rem);
  }

  /** x64 shift: value reused as the destination, count in cl (sometimes the value itself is pinned to rax). */
  private shiftLike(avail: number[]): void {
    const value = this.pickOfClass(avail, RegClass.Int);
    const count = this.pickOfClass(avail, RegClass.Int);
    const out = this.fresh(RegClass.Int);
    const valueUse = this.rng.chance(0.2) ? use(value, OperandConstraint.FixedReg, RAX) : use(value, OperandConstraint.Reg);
    this.emit([valueUse, use(count, OperandConstraint.FixedReg, RCX), def(out, OperandConstraint.Reuse, 0)]);
    avail.push(out);
  }

  private call(avail: number[]): void {
    const rng = this.rng;
    const ops: number[] = [];
    const numInt = rng.int(5);
    for (let k = 0; k < numInt; k++) ops.push(use(this.pickOfClass(avail, RegClass.Int), OperandConstraint.FixedReg, INT_ARG_REGS[k]));
    const numFloat = rng.int(3);
    for (let k = 0; k < numFloat; k++) {
      ops.push(use(this.pickOfClass(avail, RegClass.Float), OperandConstraint.FixedReg, PREG_XMM_BASE + k));
    }
    if (rng.chance(0.3)) ops.push(use(this.pickOfClass(avail, RegClass.Int), OperandConstraint.Reg)); // callee address
    const results: number[] = [];
    if (rng.chance(0.7)) {
      const v = this.fresh(RegClass.Int);
      ops.push(def(v, OperandConstraint.FixedReg, RAX));
      results.push(v);
    }
    if (rng.chance(0.3)) {
      const v = this.fresh(RegClass.Float);
      ops.push(def(v, OperandConstraint.FixedReg, PREG_XMM_BASE));
      results.push(v);
    }
    this.emit(ops, sysvCallClobbers(), INST_IS_CALL);
    avail.push(...results);
  }

  private stackOperands(avail: number[]): void {
    const rng = this.rng;
    const cls = rng.chance(this.opts.floatFraction) ? RegClass.Float : RegClass.Int;
    const v = this.pickOfClass(avail, cls);
    const ops = [use(v, OperandConstraint.Stack)];
    if (rng.chance(0.4)) ops.push(use(v, OperandConstraint.Reg));
    const out = this.fresh(cls);
    ops.push(def(out, rng.chance(0.5) ? OperandConstraint.Stack : OperandConstraint.Any));
    this.emit(ops);
    avail.push(out);
  }

  /** One vreg used under several constraints at once, plus fixed defs in arbitrary registers. */
  private fixedMix(avail: number[]): void {
    const rng = this.rng;
    const v = this.pickOfClass(avail, RegClass.Int);
    const r1 = rng.pick(FIXED_INT_CHOICES);
    let r2 = rng.pick(FIXED_INT_CHOICES);
    if (r2 === r1) r2 = r1 === RAX ? RCX : RAX;
    const ops = [use(v, OperandConstraint.FixedReg, r1), use(v, OperandConstraint.FixedReg, r2), use(v, OperandConstraint.Reg)];
    if (rng.chance(0.5)) ops.push(use(v, OperandConstraint.Any));
    const out = this.fresh(RegClass.Int);
    const r3 = rng.pick(FIXED_INT_CHOICES);
    ops.push(def(out, OperandConstraint.FixedReg, r3));
    // Registers no other fixed operand of this instruction names: for a late fixed use and an early fixed temp.
    const free = FIXED_INT_CHOICES.filter((r) => r !== r1 && r !== r2 && r !== r3);
    if (rng.chance(0.3)) {
      const w = this.pickOfClass(avail, RegClass.Int);
      ops.push(use(w, OperandConstraint.FixedReg, free.splice(rng.int(free.length), 1)[0], true));
    }
    if (rng.chance(0.3)) ops.push(def(this.fresh(RegClass.Int), OperandConstraint.FixedReg, rng.pick(free), true));
    this.emit(ops);
    avail.push(out);
  }
}
