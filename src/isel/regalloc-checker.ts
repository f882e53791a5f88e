import {
  allocIndex,
  allocIsReg,
  allocIsStack,
  EDIT_MOVE,
  EDIT_REMAT,
  type MachineEnv,
  NUM_PREGS,
  OperandConstraint,
  OperandKind,
  OperandPos,
  pregClass,
  type RegAllocFunction,
  type RegAllocOutput,
} from './regalloc-types.js';

/** One violation found by the checker. */
export interface RegAllocCheckError {
  /** The instruction at fault; for an edit, the instruction its program point belongs to (-1: whole function). */
  readonly inst: number;
  /** Operand index within the instruction, or -1 when an edit or the output as a whole is at fault. */
  readonly operand: number;
  /** The vreg that should have been found (-1 when not applicable). */
  readonly vreg: number;
  /** The allocation examined (register or slot), 0 when none. */
  readonly alloc: number;
  /** The vregs that location actually held. */
  readonly found: readonly number[];
  readonly message: string;
}

export interface CheckOptions {
  /** Stop after this many errors (default 100). */
  readonly maxErrors?: number;
}

/** Each location holds the set of vregs whose (SSA) value it contains: a sorted array, shared and never mutated. */
type Sets = (readonly number[])[];

const EMPTY: readonly number[] = Object.freeze([]);

/**
 * Symbolic checker for an allocation, after regalloc2's checker: abstract interpretation over the CFG where each
 * location (preg or spill slot) holds the set of vregs it currently contains.
 * - Edits move sets between locations (a remat writes the remat vreg); an edit at "before i" runs before i reads.
 * - Each use must find its vreg in its allocated location; each operand's allocation must satisfy its constraint
 *   (Reg, FixedReg, Stack, Any, Reuse = same register as the reused use); the scratch registers are never operands.
 * - Early defs may not share a location with any use, late defs with late uses, defs with each other; late uses may
 *   not sit in clobbered registers. Clobbers empty their registers.
 * - A def removes its vreg from every location (older copies are stale) and writes it to its own.
 * - On an edge, each block param joins every location holding its branch argument.
 * - At a join the in-state is the intersection of the predecessors' out-states; iterate to a fixpoint, then run one
 *   reporting pass.
 * Returns the errors found, empty when the allocation is correct.
 */
export function checkAllocation(
  fn: RegAllocFunction,
  env: MachineEnv,
  out: RegAllocOutput,
  options: CheckOptions = {},
): RegAllocCheckError[] {
  return new Checker(fn, env, out, options.maxErrors ?? 100).run();
}

class Checker {
  private readonly errors: RegAllocCheckError[] = [];
  private readonly numLocs: number;
  private readonly editStart: Int32Array;
  private readonly rematVReg: Int32Array;
  /** Every location each vreg has ever been written to (in any state): a def only has to clear these. */
  private readonly everIn: (number[] | undefined)[];
  /** 1 at the last instruction of each block. */
  private readonly blockEndsAt: Uint8Array;
  private report = false;

  constructor(
    private readonly fn: RegAllocFunction,
    private readonly env: MachineEnv,
    private readonly out: RegAllocOutput,
    private readonly maxErrors: number,
  ) {
    this.numLocs = NUM_PREGS + Math.max(0, out.numSpillSlots);
    const numPoints = 2 * fn.numInsts + 2;
    this.editStart = new Int32Array(numPoints + 1);
    this.rematVReg = new Int32Array(fn.numInsts).fill(-1);
    this.everIn = new Array<number[] | undefined>(fn.numVRegs);
    this.blockEndsAt = new Uint8Array(fn.numInsts);
    for (let b = 0; b < fn.numBlocks; b++) {
      const last = fn.blockInstEnd[b] - 1;
      if (last >= 0 && last < fn.numInsts) this.blockEndsAt[last] = 1;
    }
    for (let v = 0; v < fn.numVRegs; v++) {
      const r = fn.rematInst[v];
      if (r >= 0 && r < fn.numInsts) this.rematVReg[r] = v;
    }
  }

  run(): RegAllocCheckError[] {
    const fn = this.fn;
    const out = this.out;
    if (out.allocs.length !== fn.operandStart[fn.numInsts]) {
      this.fail(-1, -1, -1, 0, EMPTY, `allocs has ${out.allocs.length} entries for ${fn.operandStart[fn.numInsts]} operands`);
      return this.errors;
    }
    if (!this.indexEdits()) return this.errors;
    this.checkCalleeSaved();

    // Fixpoint over the blocks, in round-robin passes over the layout (few passes: sets only shrink); then one
    // pass that reports.
    const nb = fn.numBlocks;
    const inStates: (Sets | null)[] = new Array<Sets | null>(nb).fill(null);
    inStates[0] = new Array<readonly number[]>(this.numLocs).fill(EMPTY);
    const dirty = new Uint8Array(nb);
    dirty[0] = 1;
    const order = blocksByStart(fn);
    let changed = true;
    for (let pass = 0; changed && pass < nb + 2; pass++) {
      changed = false;
      for (const b of order) {
        if (!dirty[b]) continue;
        dirty[b] = 0;
        const state = (inStates[b] as Sets).slice();
        this.transferBlock(b, state);
        const numSuccs = fn.succStart[b + 1] - fn.succStart[b];
        for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
          const s = fn.succs[e];
          const edgeState = numSuccs > 1 ? state.slice() : state;
          this.applyBlockParams(e, s, edgeState);
          const prev = inStates[s];
          if (prev === null) {
            inStates[s] = edgeState === state ? state.slice() : edgeState;
          } else if (!meetInto(prev, edgeState)) {
            continue;
          }
          dirty[s] = 1;
          changed = true;
        }
      }
    }
    this.report = true;
    for (const b of order) {
      const state = inStates[b];
      if (state === null) continue; // unreachable from the entry
      this.transferBlock(b, state.slice());
      if (this.errors.length >= this.maxErrors) break;
    }
    return this.errors;
  }

  private fail(inst: number, operand: number, vreg: number, alloc: number, found: readonly number[], msg: string): void {
    if (this.errors.length >= this.maxErrors) return;
    this.errors.push({ inst, operand, vreg, alloc, found: found.slice(), message: msg });
  }

  private indexEdits(): boolean {
    const out = this.out;
    const numPoints = 2 * this.fn.numInsts + 2;
    let last = -1;
    for (let k = 0; k < out.numEdits; k++) {
      const p = out.editPoint[k];
      if (p < 0 || p >= numPoints || p < last) {
        this.fail(p >> 1, -1, -1, 0, EMPTY, `edit ${k} at point ${p}: points must be in range and sorted`);
        return false;
      }
      last = p;
      this.editStart[p + 1]++;
      // After a block's last instruction (a branch or return) nothing runs.
      const inst = p >> 1;
      if ((p & 1) === 1 && inst < this.fn.numInsts && this.blockEndsAt[inst] === 1) {
        this.fail(inst, -1, -1, out.editTo[k], EMPTY, `edit ${k} is placed after inst ${inst}, the last of its block`);
      }
    }
    for (let p = 0; p < numPoints; p++) this.editStart[p + 1] += this.editStart[p];
    return true;
  }

  private checkCalleeSaved(): void {
    const out = this.out;
    let used = 0;
    for (let j = 0; j < out.allocs.length; j++) if (allocIsReg(out.allocs[j])) used |= 1 << allocIndex(out.allocs[j]);
    for (let k = 0; k < out.numEdits; k++) if (allocIsReg(out.editTo[k])) used |= 1 << allocIndex(out.editTo[k]);
    const missing = used & this.env.calleeSaved & ~out.usedCalleeSaved;
    if (missing !== 0) {
      this.fail(-1, -1, -1, 0, EMPTY, `callee-saved registers (mask 0x${(missing >>> 0).toString(16)}) are written but not in usedCalleeSaved`);
    }
  }

  /** Location index of an allocation, or -1 (reported) when it is not a valid register or slot. */
  private locOf(alloc: number, inst: number, operand: number, vreg: number): number {
    if (allocIsReg(alloc)) {
      const p = allocIndex(alloc);
      if (p < NUM_PREGS) return p;
    } else if (allocIsStack(alloc)) {
      const s = allocIndex(alloc);
      if (s < this.out.numSpillSlots) return NUM_PREGS + s;
    }
    if (this.report) this.fail(inst, operand, vreg, alloc, EMPTY, `invalid allocation 0x${(alloc >>> 0).toString(16)}`);
    return -1;
  }

  private transferBlock(b: number, state: Sets): void {
    const fn = this.fn;
    for (let i = fn.blockInstStart[b]; i < fn.blockInstEnd[b]; i++) {
      this.applyEdits(2 * i, state);
      this.applyInst(i, state);
      this.applyEdits(2 * i + 1, state);
    }
  }

  private applyEdits(point: number, state: Sets): void {
    const out = this.out;
    const inst = point >> 1;
    for (let k = this.editStart[point]; k < this.editStart[point + 1]; k++) {
      const to = this.locOf(out.editTo[k], inst, -1, -1);
      if (to < 0) continue;
      const cls = out.editClass[k];
      if (to < NUM_PREGS && pregClass(to) !== cls) {
        if (this.report) this.fail(inst, -1, -1, out.editTo[k], EMPTY, `edit ${k} writes preg ${to} with class ${cls}`);
      }
      if (out.editKind[k] === EDIT_MOVE) {
        const from = this.locOf(out.editFrom[k], inst, -1, -1);
        if (from < 0) {
          state[to] = EMPTY;
          continue;
        }
        if (from < NUM_PREGS && pregClass(from) !== cls && this.report) {
          this.fail(inst, -1, -1, out.editFrom[k], EMPTY, `edit ${k} reads preg ${from} with class ${cls}`);
        }
        this.write(state, to, state[from]);
      } else if (out.editKind[k] === EDIT_REMAT) {
        const r = out.editFrom[k];
        const v = r >= 0 && r < this.fn.numInsts ? this.rematVReg[r] : -1;
        if (v < 0) {
          if (this.report) this.fail(inst, -1, -1, out.editTo[k], EMPTY, `edit ${k} rematerialises inst ${r}, not a rematInst`);
          state[to] = EMPTY;
          continue;
        }
        if (this.fn.vregClass[v] !== cls && this.report) {
          this.fail(inst, -1, v, out.editTo[k], EMPTY, `edit ${k} rematerialises v${v} with the wrong class`);
        }
        this.write(state, to, [v]);
      } else {
        if (this.report) this.fail(inst, -1, -1, 0, EMPTY, `edit ${k} has unknown kind ${out.editKind[k]}`);
        state[to] = EMPTY;
      }
    }
  }

  private applyInst(i: number, state: Sets): void {
    const fn = this.fn;
    const allocs = this.out.allocs;
    const os = fn.operandStart[i];
    const oe = fn.operandStart[i + 1];
    const report = this.report;
    if (report) this.checkConstraints(i);

    // Early uses read.
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      if (((op >>> 20) & 3) !== OperandKind.Use || ((op >>> 22) & 1) !== OperandPos.Early) continue;
      this.checkUse(i, j - os, op & 0xfffff, allocs[j], state);
    }
    // Early defs written.
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      if (((op >>> 20) & 3) !== OperandKind.Def || !isEarlyDef(op)) continue;
      this.writeDef(i, j - os, op & 0xfffff, allocs[j], state);
    }
    // Late uses read.
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      if (((op >>> 20) & 3) !== OperandKind.Use || ((op >>> 22) & 1) !== OperandPos.Late) continue;
      this.checkUse(i, j - os, op & 0xfffff, allocs[j], state);
    }
    // Clobbers, then late defs. Emission may use the scratch registers inside any instruction.
    state[this.env.scratch[0]] = EMPTY;
    state[this.env.scratch[1]] = EMPTY;
    const clobbers = fn.clobbers[i];
    if (clobbers !== 0) {
      for (let p = 0; p < NUM_PREGS; p++) if ((clobbers >>> p) & 1) state[p] = EMPTY;
    }
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      if (((op >>> 20) & 3) !== OperandKind.Def || isEarlyDef(op)) continue;
      this.writeDef(i, j - os, op & 0xfffff, allocs[j], state);
    }
  }

  private checkUse(i: number, operand: number, v: number, alloc: number, state: Sets): void {
    if (!this.report) return;
    const loc = this.locOf(alloc, i, operand, v);
    if (loc < 0) return;
    const set = state[loc];
    if (!sortedHas(set, v)) {
      const where = loc < NUM_PREGS ? `preg ${loc}` : `slot ${loc - NUM_PREGS}`;
      this.fail(i, operand, v, alloc, set, `use of v${v} reads ${where}, which holds {${set.map((x) => 'v' + x).join(', ')}}`);
    }
  }

  private writeDef(i: number, operand: number, v: number, alloc: number, state: Sets): void {
    this.removeEverywhere(state, v);
    const loc = this.locOf(alloc, i, operand, v);
    if (loc >= 0) this.write(state, loc, [v]);
  }

  /** state[loc] = set, remembering that each of its vregs has been in loc. */
  private write(state: Sets, loc: number, set: readonly number[]): void {
    state[loc] = set;
    for (let k = 0; k < set.length; k++) {
      const v = set[k];
      let locs = this.everIn[v];
      if (locs === undefined) {
        locs = [];
        this.everIn[v] = locs;
      }
      if (!locs.includes(loc)) locs.push(loc);
    }
  }

  /** A def makes older copies of its vreg stale (they hold a previous loop iteration's value). */
  private removeEverywhere(state: Sets, v: number): void {
    const locs = this.everIn[v];
    if (locs === undefined) return;
    for (let k = 0; k < locs.length; k++) {
      const l = locs[k];
      const set = state[l];
      if (set.length !== 0 && sortedHas(set, v)) state[l] = set.length === 1 ? EMPTY : set.filter((x) => x !== v);
    }
  }

  /** Structural checks of one instruction's allocations against its constraints and against each other. */
  private checkConstraints(i: number): void {
    const fn = this.fn;
    const allocs = this.out.allocs;
    const os = fn.operandStart[i];
    const oe = fn.operandStart[i + 1];
    const scratch = this.env.scratch;
    const clobbers = fn.clobbers[i];
    for (let j = os; j < oe; j++) {
      const op = fn.operands[j];
      const v = op & 0xfffff;
      const a = allocs[j];
      const kind = (op >>> 20) & 3;
      const con = (op >>> 23) & 7;
      const payload = (op >>> 26) & 31;
      const cls = fn.vregClass[v];
      const isReg = allocIsReg(a) && allocIndex(a) < NUM_PREGS;
      const preg = allocIndex(a);
      const bad = (msg: string): void => this.fail(i, j - os, v, a, EMPTY, msg);
      if (!isReg && !(allocIsStack(a) && allocIndex(a) < this.out.numSpillSlots)) {
        bad(`v${v} has no valid allocation (0x${(a >>> 0).toString(16)})`);
        continue;
      }
      if (isReg && (preg === scratch[0] || preg === scratch[1])) bad(`v${v} allocated to scratch register ${preg}`);
      if (isReg && pregClass(preg) !== cls) bad(`v${v} of class ${cls} allocated to preg ${preg} of the other class`);
      switch (con) {
        case OperandConstraint.Reg:
          if (!isReg) bad(`v${v} needs a register but got a stack slot`);
          break;
        case OperandConstraint.FixedReg:
          if (!isReg || preg !== payload) bad(`v${v} must be in preg ${payload}`);
          break;
        case OperandConstraint.Stack:
          if (isReg) bad(`v${v} must be in a stack slot`);
          break;
        case OperandConstraint.Reuse:
          if (kind !== OperandKind.Def || payload >= oe - os || allocs[os + payload] !== a || !isReg) {
            bad(`v${v} must be in the register of operand ${payload}`);
          }
          break;
        default:
          break;
      }
      // Overlaps within the instruction.
      for (let k = os; k < oe; k++) {
        if (k === j || allocs[k] !== a) continue;
        const other = fn.operands[k];
        const otherKind = (other >>> 20) & 3;
        if (kind === OperandKind.Def && otherKind === OperandKind.Def && k > j) {
          bad(`defs v${v} and v${other & 0xfffff} share one location`);
        } else if (kind === OperandKind.Def && otherKind === OperandKind.Use) {
          const otherLate = ((other >>> 22) & 1) === OperandPos.Late;
          if (isEarlyDef(op)) bad(`early def v${v} shares a location with the use of v${other & 0xfffff}`);
          else if (otherLate) bad(`def v${v} shares a location with the late use of v${other & 0xfffff}`);
        }
      }
      if (kind === OperandKind.Use && ((op >>> 22) & 1) === OperandPos.Late && isReg && ((clobbers >>> preg) & 1)) {
        bad(`late use of v${v} in preg ${preg}, which the instruction clobbers`);
      }
    }
  }

  /** Each block param joins every location that holds its branch argument at the end of the predecessor. */
  private applyBlockParams(e: number, s: number, state: Sets): void {
    const fn = this.fn;
    const as = fn.branchArgStart[e];
    const n = fn.branchArgStart[e + 1] - as;
    if (n === 0) return;
    const ps = fn.blockParamStart[s];
    const holders: number[][] = [];
    for (let k = 0; k < n; k++) {
      const a = fn.branchArgs[as + k];
      const locs: number[] = [];
      const candidates = this.everIn[a];
      if (candidates !== undefined) for (const l of candidates) if (sortedHas(state[l], a)) locs.push(l);
      holders.push(locs);
    }
    for (let k = 0; k < n; k++) this.removeEverywhere(state, fn.blockParams[ps + k]);
    for (let k = 0; k < n; k++) {
      const p = fn.blockParams[ps + k];
      for (const l of holders[k]) this.write(state, l, sortedInsert(state[l], p));
    }
  }
}

function isEarlyDef(op: number): boolean {
  return ((op >>> 22) & 1) === OperandPos.Early && ((op >>> 23) & 7) !== OperandConstraint.Reuse;
}

function sortedHas(set: readonly number[], v: number): boolean {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const x = set[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

function sortedInsert(set: readonly number[], v: number): readonly number[] {
  if (sortedHas(set, v)) return set;
  const outSet: number[] = [];
  let placed = false;
  for (const x of set) {
    if (!placed && v < x) {
      outSet.push(v);
      placed = true;
    }
    outSet.push(x);
  }
  if (!placed) outSet.push(v);
  return outSet;
}

/** target ∩= incoming, per location; returns whether anything changed. */
function meetInto(target: Sets, incoming: Sets): boolean {
  let changed = false;
  for (let l = 0; l < target.length; l++) {
    const a = target[l];
    const b = incoming[l];
    if (a === b || a.length === 0) continue;
    if (b.length === 0) {
      target[l] = EMPTY;
      changed = true;
      continue;
    }
    const both: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        both.push(a[i]);
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    if (both.length !== a.length) {
      target[l] = both.length === 0 ? EMPTY : both;
      changed = true;
    }
  }
  return changed;
}

function blocksByStart(fn: RegAllocFunction): number[] {
  const order: number[] = [];
  for (let b = 0; b < fn.numBlocks; b++) order.push(b);
  order.sort((a, b) => fn.blockInstStart[a] - fn.blockInstStart[b]);
  return order;
}
