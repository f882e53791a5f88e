import {
  type MachineEnv,
  OperandConstraint,
  OperandKind,
  pointAfter,
  pointBefore,
  type RegAllocFunction,
} from './regalloc-types.js';
import { type AllocCfg } from './regalloc-cfg.js';
import { RegAllocError } from './regalloc-error.js';
import { type IntVec } from './regalloc-int-vec.js';
import { type IntervalStore } from './regalloc-intervals.js';
import { type LiveRanges } from './regalloc-liveness.js';
import { type OperandInfo } from './regalloc-operands.js';
import { type ScratchPool } from './regalloc-pool.js';
import { LOC_REMAT, LOC_STACK, POS_EARLY, POS_FIXUP, POS_LATE } from './regalloc-positions.js';

// Order of the move groups that share one program point; each group is one parallel move. A one-instruction block
// can receive edge moves at its start and send edge moves before its terminator at the same point "before i".
/** "before i": split moves inside a block (the interval changes location at gap 4i). */
export const PRIO_SPLIT = 0;
/** "before i" at a block start: moves of the edge from the block's only predecessor. */
export const PRIO_EDGE_IN = 1;
/** "before i" at a block start: stores of block params into their spill slots (spill at definition). */
export const PRIO_PARAM_STORE = 2;
/** "before i": copies into fixed-use registers, reuse registers and stack-use slots. */
export const PRIO_FIXUP = 3;
/** "before i" at a terminator: moves of the edge to the block's only successor (a join). */
export const PRIO_EDGE_OUT = 4;
/** "after i": copies out of fixed def registers. */
export const PRIO_DEF_COPY = 0;
/** "after i": stores of defs into their spill slots (spill at definition). */
export const PRIO_DEF_STORE = 1;
/** Number of priorities per program point. */
export const NUM_PRIOS = 5;

/**
 * Moves before sequentialisation. Locations are allocator locations: a preg, LOC_STACK (the spill slot of the
 * vreg named beside it, chosen later) or LOC_REMAT (as a source: re-run the vreg's constant instruction).
 */
export class RawMoves {
  readonly point: IntVec;
  readonly prio: IntVec;
  readonly fromLoc: IntVec;
  readonly fromVReg: IntVec;
  readonly toLoc: IntVec;
  readonly toVReg: IntVec;
  /** 0 = live, 1 = dropped (a store made redundant by storing at the definition). */
  readonly dropped: IntVec;

  constructor(pool: ScratchPool) {
    this.point = pool.vec(40);
    this.prio = pool.vec(41);
    this.fromLoc = pool.vec(42);
    this.fromVReg = pool.vec(43);
    this.toLoc = pool.vec(44);
    this.toVReg = pool.vec(45);
    this.dropped = pool.vec(46);
  }

  get length(): number {
    return this.point.length;
  }

  add(point: number, prio: number, fromLoc: number, fromVReg: number, toLoc: number, toVReg: number): void {
    if (toLoc === LOC_REMAT) return; // a rematerialisable value needs no copy kept anywhere
    if (fromLoc === toLoc && (fromLoc < LOC_STACK || fromVReg === toVReg)) return;
    this.point.push(point);
    this.prio.push(prio);
    this.fromLoc.push(fromLoc);
    this.fromVReg.push(fromVReg);
    this.toLoc.push(toLoc);
    this.toVReg.push(toVReg);
    this.dropped.push(0);
  }
}

/** Finds the interval (and so the location) of a vreg at a position, fast for increasing positions per vreg. */
export class ChildLocator {
  private readonly cursor: Int32Array;

  constructor(
    readonly intervals: IntervalStore,
    readonly firstChildren: Int32Array,
    numVRegs: number,
    pool: ScratchPool,
  ) {
    this.cursor = pool.int32(80, numVRegs);
    this.cursor.set(firstChildren.subarray(0, numVRegs));
  }

  childAt(v: number, pos: number): number {
    const iv = this.intervals;
    let c = this.cursor[v];
    if (c < 0) c = this.firstChildren[v];
    // Walk from the last answer, backwards or forwards (edge lookups alternate between block ends and starts).
    while (c >= 0 && iv.start[c] > pos && iv.prev[c] >= 0) c = iv.prev[c];
    while (c >= 0 && iv.end[c] <= pos) c = iv.next[c];
    if (c < 0 || iv.start[c] > pos) {
      throw new RegAllocError(`internal: v${v} is not live at position ${pos} (inst ${pos >> 2})`);
    }
    this.cursor[v] = c;
    return c;
  }

  locAt(v: number, pos: number): number {
    return this.intervals.loc[this.childAt(v, pos)];
  }
}

/**
 * All moves the allocation needs, in allocator locations: split moves inside blocks, edge moves, fixup copies before
 * instructions (fixed uses, reuse registers, stack uses) and copies out of fixed def registers.
 */
export function generateMoves(
  fn: RegAllocFunction,
  env: MachineEnv,
  cfg: AllocCfg,
  ops: OperandInfo,
  live: LiveRanges,
  iv: IntervalStore,
  firstChild: Int32Array,
  locator: ChildLocator,
  operandOverride: Int32Array,
  pool: ScratchPool,
): RawMoves {
  const moves = new RawMoves(pool);

  // Split moves inside blocks; splits at block starts are reconciled per edge below.
  for (let v = 0; v < fn.numVRegs; v++) {
    let c = firstChild[v];
    if (c < 0) continue;
    for (let n = iv.next[c]; n >= 0; c = n, n = iv.next[n]) {
      const s = iv.start[n];
      if (s !== iv.end[c] || cfg.isBlockStart(s, fn)) continue;
      if ((s & 3) !== 0) throw new RegAllocError(`internal: v${v} split at non-gap position ${s}`);
      moves.add(pointBefore(s >> 2), PRIO_SPLIT, iv.loc[c], v, iv.loc[n], v);
    }
  }

  // Edges: block params take the branch args; live-in values move where their location differs. Each edge's moves
  // form one parallel move (its own program point and group), ordered: args, live-ins by vreg, terminator guard. The
  // passes below keep that order within each edge while visiting live-ins vreg by vreg: only split vregs can need
  // a move, and most live-in pairs belong to vregs that never split.
  for (let b = 0; b < fn.numBlocks; b++) {
    const posFrom = 4 * fn.blockInstEnd[b] - 1;
    for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
      const s = fn.succs[e];
      const params = fn.blockParamStart[s];
      const argStart = fn.branchArgStart[e];
      const argEnd = fn.branchArgStart[e + 1];
      if (argStart === argEnd) continue;
      const posTo = 4 * fn.blockInstStart[s];
      const atSucc = cfg.edgeAtSuccStart[e] === 1;
      const point = atSucc ? pointBefore(fn.blockInstStart[s]) : pointBefore(fn.blockInstEnd[b] - 1);
      const prio = atSucc ? PRIO_EDGE_IN : PRIO_EDGE_OUT;
      for (let k = argStart; k < argEnd; k++) {
        const a = fn.branchArgs[k];
        const p = fn.blockParams[params + k - argStart];
        if (ops.entryStart[p + 1] - ops.entryStart[p] === 1) continue; // a param nobody reads needs no value
        moves.add(point, prio, locator.locAt(a, posFrom), a, locator.locAt(p, posTo), p);
      }
    }
  }
  const pairStart = live.liveInPairStart;
  const pairBlock = live.liveInPairBlock;
  for (let x = 0; x < fn.numVRegs; x++) {
    const c = firstChild[x];
    if (c < 0 || iv.next[c] < 0) continue; // never split: same location everywhere
    for (let k = pairStart[x]; k < pairStart[x + 1]; k++) {
      const s = pairBlock[k];
      const posTo = 4 * fn.blockInstStart[s];
      for (let q = fn.predStart[s]; q < fn.predStart[s + 1]; q++) {
        const b = fn.preds[q];
        const e = edgeIndex(fn, b, s);
        const atSucc = cfg.edgeAtSuccStart[e] === 1;
        const point = atSucc ? pointBefore(fn.blockInstStart[s]) : pointBefore(fn.blockInstEnd[b] - 1);
        const prio = atSucc ? PRIO_EDGE_IN : PRIO_EDGE_OUT;
        moves.add(point, prio, locator.locAt(x, 4 * fn.blockInstEnd[b] - 1), x, locator.locAt(x, posTo), x);
      }
    }
  }
  const guard = new TerminatorGuard(fn, env, ops, live, locator, moves, operandOverride);
  for (let b = 0; b < fn.numBlocks; b++) {
    const term = fn.blockInstEnd[b] - 1;
    if (fn.operandStart[term + 1] === fn.operandStart[term]) continue;
    for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
      if (cfg.edgeAtSuccStart[e] === 1) continue;
      guard.protect(b, term, fn.succs[e], pointBefore(term));
    }
  }

  // Fixups before each instruction and copies after it.
  const instSpecial = ops.instSpecial;
  for (let i = 0; i < fn.numInsts; i++) {
    if (instSpecial[i] === 0) continue; // only fixed and stack uses, reuse and fixed defs need copies
    const p = 4 * i;
    for (let j = fn.operandStart[i]; j < fn.operandStart[i + 1]; j++) {
      const op = fn.operands[j];
      const v = op & 0xfffff;
      const con = ops.opConstraint[j];
      if (((op >>> 20) & 3) === OperandKind.Use) {
        if (ops.opReadsReuse[j] >= 0) continue; // the reuse def's fixup copies the value
        if (con === OperandConstraint.FixedReg) {
          moves.add(pointBefore(i), PRIO_FIXUP, locator.locAt(v, p), v, ops.opPayload[j], v);
        } else if (con === OperandConstraint.Stack) {
          moves.add(pointBefore(i), PRIO_FIXUP, locator.locAt(v, p), v, LOC_STACK, v);
        }
        continue;
      }
      if (con === OperandConstraint.Reuse) {
        const u = fn.operands[fn.operandStart[i] + ops.opPayload[j]] & 0xfffff;
        const reg = locator.locAt(v, p + POS_FIXUP);
        if (reg >= LOC_STACK) throw new RegAllocError(`internal: reuse def v${v} at inst ${i} not in a register`);
        moves.add(pointBefore(i), PRIO_FIXUP, locator.locAt(u, p), u, reg, u);
      } else if (con === OperandConstraint.FixedReg) {
        moves.add(pointAfter(i), PRIO_DEF_COPY, ops.opPayload[j], v, locator.locAt(v, ops.defPos[v]), v);
      }
    }
  }
  return moves;
}

/**
 * The edge b → s (s in b's successor list). Valid input has at most one: several would make a critical edge, which
 * AllocCfg rejects.
 */
function edgeIndex(fn: RegAllocFunction, b: number, s: number): number {
  for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) if (fn.succs[e] === s) return e;
  throw new RegAllocError(`internal: block${b} has no edge to block${s}`);
}

/**
 * Edge moves into a join go just before the predecessor's terminator. When that terminator reads operands (a jump
 * table whose targets are all one block), a move could overwrite a register the terminator still has to read. For
 * each such operand whose location is a destination of the edge's moves (or a spill slot, whose sharing is decided
 * later), the guard adds a move of the value into a register no edge move writes, to the same parallel move, and
 * the operand reads it there (`operandOverride`). A fixed-register operand cannot move: if its register is a
 * destination, the input is rejected.
 */
class TerminatorGuard {
  constructor(
    private readonly fn: RegAllocFunction,
    private readonly env: MachineEnv,
    private readonly ops: OperandInfo,
    private readonly live: LiveRanges,
    private readonly locator: ChildLocator,
    private readonly moves: RawMoves,
    private readonly operandOverride: Int32Array,
  ) {}

  protect(block: number, term: number, succ: number, point: number): void {
    this.live.bucketByBlock();
    const fn = this.fn;
    const ops = this.ops;
    const locator = this.locator;
    const posTo = 4 * fn.blockInstStart[succ];
    // Registers holding successor values once the edge moves are done.
    let dests = 0;
    for (let k = fn.blockParamStart[succ]; k < fn.blockParamStart[succ + 1]; k++) {
      const p = fn.blockParams[k];
      if (ops.entryStart[p + 1] - ops.entryStart[p] === 1) continue;
      const loc = locator.locAt(p, posTo);
      if (loc < LOC_STACK) dests |= 1 << loc;
    }
    for (let k = this.live.liveInStart[succ]; k < this.live.liveInStart[succ + 1]; k++) {
      const loc = locator.locAt(this.live.liveIn[k], posTo);
      if (loc < LOC_STACK) dests |= 1 << loc;
    }
    if ((fn.clobbers[term] & dests) !== 0) {
      throw new RegAllocError(`inst ${term}: a terminator that clobbers registers cannot precede edge moves`);
    }
    // Registers the terminator reads where they are.
    let reads = 0;
    const os = fn.operandStart[term];
    const oe = fn.operandStart[term + 1];
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      const con = ops.opConstraint[j];
      if (con === OperandConstraint.FixedReg) {
        const r = ops.opPayload[j];
        if (((dests >>> r) & 1) !== 0) {
          throw new RegAllocError(
            `inst ${term}: the terminator reads v${op & 0xfffff} fixed in preg ${r}, which the moves into ` +
              `block${succ} (placed before it) overwrite; split the edge`,
          );
        }
        reads |= 1 << r;
      } else {
        const v = op & 0xfffff;
        const loc = locator.locAt(v, 4 * term + (((op >>> 22) & 1) === 1 ? POS_LATE : POS_EARLY));
        if (loc < LOC_STACK) reads |= 1 << loc;
      }
    }
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      const con = ops.opConstraint[j];
      if (con === OperandConstraint.FixedReg) continue;
      const v = op & 0xfffff;
      const loc = locator.locAt(v, 4 * term + (((op >>> 22) & 1) === 1 ? POS_LATE : POS_EARLY));
      if (loc < LOC_STACK && ((dests >>> loc) & 1) === 0) continue;
      if (con === OperandConstraint.Stack) {
        throw new RegAllocError(`inst ${term}: a terminator before edge moves cannot take a stack operand; split the edge`);
      }
      // The value itself may be one the moves put in a register.
      const carried = this.carriedIn(v, block, succ, posTo);
      if (carried >= 0) {
        this.operandOverride[j] = carried;
        continue;
      }
      const regs = this.env.allocatable[fn.vregClass[v]];
      let free = -1;
      for (let k = 0; k < regs.length; k++) {
        const r = regs[k];
        if ((((dests | reads) >>> r) & 1) === 0) {
          free = r;
          break;
        }
      }
      if (free < 0) {
        throw new RegAllocError(
          `inst ${term}: every register carries a value into block${succ} across the edge moves placed before ` +
            `this terminator, which also reads v${v}; split the edge`,
        );
      }
      reads |= 1 << free;
      this.moves.add(point, PRIO_EDGE_OUT, loc, v, free, v);
      this.operandOverride[j] = free;
    }
  }

  /** A register that holds v's value once the edge moves into succ are done (v live into succ, or an arg), or -1. */
  private carriedIn(v: number, b: number, succ: number, posTo: number): number {
    const fn = this.fn;
    const live = this.live;
    for (let k = live.liveInStart[succ]; k < live.liveInStart[succ + 1]; k++) {
      if (live.liveIn[k] !== v) continue;
      const loc = this.locator.locAt(v, posTo);
      return loc < LOC_STACK ? loc : -1;
    }
    for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
      if (fn.succs[e] !== succ) continue;
      for (let k = fn.branchArgStart[e]; k < fn.branchArgStart[e + 1]; k++) {
        if (fn.branchArgs[k] !== v) continue;
        const p = fn.blockParams[fn.blockParamStart[succ] + k - fn.branchArgStart[e]];
        if (this.ops.entryStart[p + 1] - this.ops.entryStart[p] === 1) continue;
        const loc = this.locator.locAt(p, posTo);
        if (loc < LOC_STACK) return loc;
      }
    }
    return -1;
  }
}
