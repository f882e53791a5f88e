import {
  type MachineEnv,
  NUM_PREGS,
  OperandConstraint,
  OperandKind,
  OperandPos,
  pregClass,
  type RegAllocFunction,
} from './regalloc-types.js';
import { type AllocCfg } from './regalloc-cfg.js';
import { RegAllocError } from './regalloc-error.js';
import { type IntVec } from './regalloc-int-vec.js';
import { type ScratchPool } from './regalloc-pool.js';
import {
  OWNER_CLOBBER,
  POS_EARLY,
  POS_FIXUP,
  POS_LATE,
  REQ_ANY,
  REQ_NONE,
  REQ_REG,
  REQ_STACK,
} from './regalloc-positions.js';

const MAX_REUSE_DEFS_PER_INST = 8;

/** Bits of `OperandInfo.instSpecial`. */
export const INST_SPECIAL_DEF = 1;
export const INST_SPECIAL_USE = 2;

// Scratch pool keys (see regalloc-pool.ts).
const K_DEF_POS = 10, K_DEF_INST = 11, K_DEF_BLOCK = 12, K_CLOBBER_EXEMPT = 13, K_REMAT = 14, K_HINT_VREG = 15;
const K_OP_READS_REUSE = 16, K_COUNT = 17, K_ENTRY_START = 18, K_ENTRY_POS = 19, K_ENTRY_END = 20;
const K_ENTRY_HINT = 21, K_ENTRY_NEXT_REG = 22, K_ENTRY_FILL = 23, K_REUSE_VREG = 24, K_REUSE_OP = 25;
const K_FIXED_START = 26, K_FR_START = 27, K_FR_END = 28, K_FR_OWNER = 29, K_LAST_END = 30, K_LAST_OWNER = 31;
const K_FIXED_FILL = 32;
const K_IS_PARAM = 10, K_HAS_STACK = 11, K_OP_CONSTRAINT = 12, K_OP_PAYLOAD = 13, K_ENTRY_REQ = 14;
const K_INST_SPECIAL = 15;
const K_INST_FIXED_MASK = 33;
const K_VEC_PREG = 10, K_VEC_START = 11, K_VEC_END = 12, K_VEC_OWNER = 13;

/** How error messages name operand k of instruction i (built only when a message is). */
function opWhere(i: number, k: number): string {
  return `inst ${i} operand ${k}`;
}

/**
 * Everything the allocator derives from the operands, computed in two passes over the instructions:
 * - each vreg's definition (position, instruction, block) and its effective rematerialisation instruction;
 * - each vreg's *entries*: the positions where it is defined or read, sorted, each with what it requires of the
 *   location there (REQ_*), a preferred register (fixed constraints) and how far it keeps the vreg live;
 * - per physical register, the *fixed ranges* that block it for everyone but their owner vreg: fixed-register
 *   operands and clobbers;
 * - per operand, its normalised constraint, and for uses that read a reused register, which def owns that register.
 *
 * How operands map to positions (instruction i, p = 4i):
 *   Reg/Any use: entry at p+2 (late: p+3), live to p+3 (late: p+4).
 *   Fixed use of preg R: entry at p (read by the fixup copy into R), live to p+1; R blocked [p+1, p+3) (late: p+4).
 *   Stack use: entry at p, live to p+1 (a fixup copy stores the value into its slot unless it is already there).
 *   Reuse def: defined at p+1 in a register D; the reused input and every other early Reg/Any use of the same vreg
 *     read D, so that vreg's entries there sit at p and live to p+1: when it dies here, the def can take its register.
 *   Reuse of a fixed use: becomes a fixed def of the same register.
 *   Early def: p+2, late def: p+3; every def keeps its location to p+4. Fixed def of R: R blocked from the def to p+4.
 *   Clobbers: the preg blocked [p+3, p+4), except for the instruction's own late defs.
 *   Branch arguments: entry at the terminator's late position, live to the block end.
 *   Block parameters: defined at the block's first position.
 */
export class OperandInfo {
  readonly numVRegs: number;
  readonly defPos: Int32Array;
  readonly defInst: Int32Array;
  readonly defBlock: Int32Array;
  readonly isParam: Uint8Array;
  /** The instruction whose clobbers this vreg's late def may share a register with (-1: none). */
  readonly clobberExemptInst: Int32Array;
  /** Effective remat instruction (-1: spill to a slot instead). */
  readonly remat: Int32Array;
  /** A vreg whose register this one would like to share: the reused input of a reuse def, a branch arg's param. */
  readonly hintVreg: Int32Array;
  readonly hasStackOperand: Uint8Array;

  readonly entryStart: Int32Array;
  readonly entryPos: Int32Array;
  readonly entryEnd: Int32Array;
  readonly entryReq: Uint8Array;
  readonly entryHint: Int32Array;
  /** Index of the first REQ_REG entry at or after this one (same vreg), or -1. */
  readonly entryNextReg: Int32Array;

  /** Normalised constraint and payload per operand (a reuse of a fixed use becomes a fixed def). */
  readonly opConstraint: Uint8Array;
  readonly opPayload: Uint8Array;
  /** For a use that reads the register of a reuse def: that def's operand index; else -1. */
  readonly opReadsReuse: Int32Array;

  /** Fixed ranges of preg p: indices fixedStart[p] .. fixedStart[p+1]-1, sorted by start. */
  readonly fixedStart: Int32Array;
  readonly fixedRangeStart: Int32Array;
  readonly fixedRangeEnd: Int32Array;
  readonly fixedRangeOwner: Int32Array;

  /**
   * Per instruction, which operand kinds it has that need more than an entry (so passes over all operands can skip
   * the plain instructions, most of them): INST_SPECIAL_DEF (a FixedReg or Reuse def), INST_SPECIAL_USE (a FixedReg
   * or Stack use).
   */
  readonly instSpecial: Uint8Array;
  /** Per instruction, the pregs some fixed range blocks within it (fixed ranges never leave their instruction). */
  readonly instFixedMask: Int32Array;

  constructor(fn: RegAllocFunction, env: MachineEnv, cfg: AllocCfg, pool: ScratchPool) {
    const nv = fn.numVRegs;
    if (nv > 0x100000) throw new RegAllocError(`${nv} vregs: at most ${0x100000} fit the operand encoding`);
    this.numVRegs = nv;
    this.defPos = pool.int32Fill(K_DEF_POS, nv, -1);
    this.defInst = pool.int32Fill(K_DEF_INST, nv, -1);
    this.defBlock = pool.int32Fill(K_DEF_BLOCK, nv, -1);
    this.isParam = pool.uint8Fill(K_IS_PARAM, nv, 0);
    this.clobberExemptInst = pool.int32Fill(K_CLOBBER_EXEMPT, nv, -1);
    this.remat = pool.int32Fill(K_REMAT, nv, -1);
    this.hintVreg = pool.int32Fill(K_HINT_VREG, nv, -1);
    this.hasStackOperand = pool.uint8Fill(K_HAS_STACK, nv, 0);
    const numOps = fn.operandStart[fn.numInsts];
    this.opConstraint = pool.uint8Fill(K_OP_CONSTRAINT, numOps, 0);
    this.opPayload = pool.uint8Fill(K_OP_PAYLOAD, numOps, 0);
    this.opReadsReuse = pool.int32Fill(K_OP_READS_REUSE, numOps, -1);
    this.instSpecial = pool.uint8Fill(K_INST_SPECIAL, fn.numInsts, 0);

    const entryCount = this.collectDefs(fn, env, cfg, pool.int32Fill(K_COUNT, nv + 1, 0));
    this.computeRemat(fn);

    const totalEntries = entryCount[nv];
    this.entryStart = pool.int32(K_ENTRY_START, nv + 1);
    for (let v = 0, acc = 0; v < nv; v++) {
      this.entryStart[v] = acc;
      acc += entryCount[v];
    }
    this.entryStart[nv] = totalEntries;
    this.entryPos = pool.int32(K_ENTRY_POS, totalEntries);
    this.entryEnd = pool.int32(K_ENTRY_END, totalEntries);
    this.entryReq = pool.uint8Fill(K_ENTRY_REQ, totalEntries, 0);
    this.entryHint = pool.int32(K_ENTRY_HINT, totalEntries);
    this.entryNextReg = pool.int32(K_ENTRY_NEXT_REG, totalEntries);

    this.instFixedMask = pool.int32(K_INST_FIXED_MASK, fn.numInsts);
    const fixed = new FixedRangeCollector(pool, this.instFixedMask);
    this.collectEntries(fn, cfg, fixed, pool);
    this.fixedStart = pool.int32Fill(K_FIXED_START, NUM_PREGS + 1, 0);
    const n = fixed.preg.length;
    this.fixedRangeStart = pool.int32(K_FR_START, n);
    this.fixedRangeEnd = pool.int32(K_FR_END, n);
    this.fixedRangeOwner = pool.int32(K_FR_OWNER, n);
    fixed.bucketByPreg(this.fixedStart, this.fixedRangeStart, this.fixedRangeEnd, this.fixedRangeOwner, pool);
    this.sortEntries();
  }

  /** Pass 1: definitions, validation, and the number of entries per vreg (returned; index nv holds the total). */
  private collectDefs(fn: RegAllocFunction, env: MachineEnv, cfg: AllocCfg, count: Int32Array): Int32Array {
    const nv = fn.numVRegs;
    for (let b = 0; b < fn.numBlocks; b++) {
      for (let k = fn.blockParamStart[b]; k < fn.blockParamStart[b + 1]; k++) {
        const v = fn.blockParams[k];
        if (v < 0 || v >= nv) this.checkVReg(v, `block${b} param ${k - fn.blockParamStart[b]}`);
        if (this.defPos[v] >= 0) throw new RegAllocError(`v${v} is defined twice (second: param of block${b})`);
        this.defPos[v] = 4 * fn.blockInstStart[b];
        this.defBlock[v] = b;
        this.isParam[v] = 1;
        count[v]++;
      }
    }
    for (let i = 0; i < fn.numInsts; i++) {
      const b = cfg.blockOfInst[i];
      const os = fn.operandStart[i];
      const oe = fn.operandStart[i + 1];
      if (oe < os) throw new RegAllocError(`inst ${i}: operandStart is not monotone`);
      const isTerminatorWithSuccs = i === fn.blockInstEnd[b] - 1 && fn.succStart[b + 1] > fn.succStart[b];
      for (let j = os; j < oe; j++) {
        const op = fn.operands[j];
        const v = op & 0xfffff;
        if (v < 0 || v >= nv) this.checkVReg(v, opWhere(i, j - os));
        const kind = (op >>> 20) & 3;
        const con = (op >>> 23) & 7;
        const payload = (op >>> 26) & 31;
        if (kind > OperandKind.Def) throw new RegAllocError(`${opWhere(i, j - os)}: invalid operand kind ${kind}`);
        if (con > OperandConstraint.Stack) throw new RegAllocError(`${opWhere(i, j - os)}: invalid constraint ${con}`);
        const cls = fn.vregClass[v];
        if (cls > 1) throw new RegAllocError(`v${v}: invalid register class ${cls}`);
        if (con === OperandConstraint.FixedReg) {
          if (pregClass(payload) !== cls) {
            throw new RegAllocError(
              `${opWhere(i, j - os)}: v${v} of class ${cls} is fixed to preg ${payload} of the other class`,
            );
          }
          if (payload === env.scratch[0] || payload === env.scratch[1]) {
            throw new RegAllocError(
              `${opWhere(i, j - os)}: fixed to the scratch register ${payload}, which the allocator owns`,
            );
          }
        }
        if (con === OperandConstraint.Stack) this.hasStackOperand[v] = 1;
        this.opConstraint[j] = con;
        this.opPayload[j] = payload;
        if (kind === OperandKind.Def) {
          if (this.defPos[v] >= 0) throw new RegAllocError(`v${v} is defined twice (second: ${opWhere(i, j - os)})`);
          if (isTerminatorWithSuccs) {
            throw new RegAllocError(
              `${opWhere(i, j - os)}: the terminator of block${b} defines v${v}; branches may not define vregs`,
            );
          }
          this.defInst[v] = i;
          this.defBlock[v] = b;
          this.defPos[v] = 4 * i + POS_LATE; // refined in pass 2 for early and reuse defs
          if (con === OperandConstraint.FixedReg || con === OperandConstraint.Reuse) {
            this.instSpecial[i] |= INST_SPECIAL_DEF;
          }
          if (con === OperandConstraint.Reuse) this.checkReuse(fn, i, j, payload, v);
        } else if (con === OperandConstraint.Reuse) {
          throw new RegAllocError(`${opWhere(i, j - os)}: a use cannot have a Reuse constraint`);
        } else if (con === OperandConstraint.FixedReg || con === OperandConstraint.Stack) {
          this.instSpecial[i] |= INST_SPECIAL_USE;
        }
        count[v]++;
      }
      if (i === fn.blockInstEnd[b] - 1) {
        for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
          for (let k = fn.branchArgStart[e]; k < fn.branchArgStart[e + 1]; k++) {
            const a = fn.branchArgs[k];
            if (a < 0 || a >= nv) {
              this.checkVReg(a, `block${b} branch arg ${k - fn.branchArgStart[e]} to block${fn.succs[e]}`);
            }
            count[a]++;
          }
        }
      }
    }
    let total = 0;
    for (let v = 0; v < nv; v++) {
      if (count[v] > 0 && this.defPos[v] < 0) throw new RegAllocError(`v${v} is used but never defined`);
      total += count[v];
    }
    count[nv] = total;
    return count;
  }

  private checkVReg(v: number, where: string): void {
    if (v < 0 || v >= this.numVRegs) throw new RegAllocError(`${where}: vreg ${v} out of range (${this.numVRegs})`);
  }

  private checkReuse(fn: RegAllocFunction, i: number, j: number, k: number, v: number): void {
    const os = fn.operandStart[i];
    if (k >= fn.operandStart[i + 1] - os) {
      throw new RegAllocError(`${opWhere(i, j - os)}: reuses operand ${k}, which does not exist`);
    }
    const target = fn.operands[os + k];
    const tv = target & 0xfffff;
    if (((target >>> 20) & 3) !== OperandKind.Use) {
      throw new RegAllocError(`${opWhere(i, j - os)}: reuses operand ${k}, not a use`);
    }
    if (((target >>> 22) & 1) === OperandPos.Late) {
      throw new RegAllocError(
        `${opWhere(i, j - os)}: reuses operand ${k}, a late use (it must die before the def is written)`,
      );
    }
    const tcon = (target >>> 23) & 7;
    if (tcon === OperandConstraint.Stack || tcon === OperandConstraint.Reuse) {
      throw new RegAllocError(`${opWhere(i, j - os)}: reuses operand ${k}, which is not a register use`);
    }
    if (fn.vregClass[tv] !== fn.vregClass[v]) {
      throw new RegAllocError(`${opWhere(i, j - os)}: v${v} reuses the register of v${tv} of the other class`);
    }
    if (j === os + k) throw new RegAllocError(`${opWhere(i, j - os)}: reuses itself`);
  }

  private computeRemat(fn: RegAllocFunction): void {
    for (let v = 0; v < fn.numVRegs; v++) {
      const r = fn.rematInst[v];
      if (r < 0) continue;
      if (r >= fn.numInsts || this.defInst[v] !== r) {
        throw new RegAllocError(`rematInst[v${v}] = ${r}, but v${v} is defined by inst ${this.defInst[v]}`);
      }
      if (fn.operandStart[r + 1] - fn.operandStart[r] !== 1 || fn.clobbers[r] !== 0) {
        throw new RegAllocError(`rematInst[v${v}] = inst ${r}, which has other operands or clobbers`);
      }
      // A value that must also live in memory (Stack operands) keeps a real slot.
      if (this.hasStackOperand[v] === 0) this.remat[v] = r;
    }
  }

  /** Pass 2: entries (in layout order, so each vreg's list is nearly sorted) and fixed ranges. */
  private collectEntries(fn: RegAllocFunction, cfg: AllocCfg, fixed: FixedRangeCollector, pool: ScratchPool): void {
    const fill = pool.int32(K_ENTRY_FILL, this.numVRegs);
    fill.set(this.entryStart.subarray(0, this.numVRegs));
    const reuseVreg = pool.int32(K_REUSE_VREG, MAX_REUSE_DEFS_PER_INST);
    const reuseOp = pool.int32(K_REUSE_OP, MAX_REUSE_DEFS_PER_INST);
    const entryPos = this.entryPos;
    const entryReq = this.entryReq;
    const entryHint = this.entryHint;
    const entryEnd = this.entryEnd;
    const opConstraint = this.opConstraint;
    const opPayload = this.opPayload;
    const operands = fn.operands;
    const operandStart = fn.operandStart;
    const instSpecial = this.instSpecial;
    const remat = this.remat;
    // Entries are written inline (e = fill[v]++, then the four fields): this loop runs once per operand.
    let e = 0;
    for (let li = 0; li < cfg.numBlocks; li++) {
      const b = cfg.layout[li];
      const blockPos = 4 * fn.blockInstStart[b];
      for (let k = fn.blockParamStart[b]; k < fn.blockParamStart[b + 1]; k++) {
        e = fill[fn.blockParams[k]]++;
        entryPos[e] = blockPos;
        entryReq[e] = REQ_NONE;
        entryHint[e] = -1;
        entryEnd[e] = blockPos + 1;
      }
      for (let i = fn.blockInstStart[b]; i < fn.blockInstEnd[b]; i++) {
        const os = operandStart[i];
        const oe = operandStart[i + 1];
        const p = 4 * i;
        fixed.beginInst(i);
        const special = (instSpecial[i] & INST_SPECIAL_DEF) !== 0;
        // Reuse defs first: they decide which uses read a reused register.
        let numReuse = 0;
        for (let j = special ? os : oe; j < oe; j++) {
          const op = operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Def || opConstraint[j] !== OperandConstraint.Reuse) continue;
          const target = os + opPayload[j];
          if (opConstraint[target] === OperandConstraint.FixedReg) {
            opConstraint[j] = OperandConstraint.FixedReg;
            opPayload[j] = opPayload[target];
            continue;
          }
          if (numReuse === MAX_REUSE_DEFS_PER_INST) throw new RegAllocError(`inst ${i}: too many reuse defs`);
          reuseVreg[numReuse] = operands[target] & 0xfffff;
          reuseOp[numReuse] = j;
          numReuse++;
          this.hintVreg[op & 0xfffff] = operands[target] & 0xfffff;
        }
        // Uses.
        for (let j = os; j < oe; j++) {
          const op = operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Use) continue;
          const v = op & 0xfffff;
          const late = ((op >>> 22) & 1) === OperandPos.Late;
          const con = opConstraint[j];
          let readsReuse = -1;
          if (!late && (con === OperandConstraint.Reg || con === OperandConstraint.Any)) {
            for (let r = 0; r < numReuse; r++) {
              if (reuseVreg[r] === v) {
                readsReuse = reuseOp[r];
                break;
              }
            }
          }
          if (readsReuse >= 0) {
            this.opReadsReuse[j] = readsReuse;
            e = fill[v]++;
            entryPos[e] = p;
            entryReq[e] = REQ_NONE;
            entryHint[e] = -1;
            entryEnd[e] = p + POS_FIXUP;
          } else if (con === OperandConstraint.FixedReg) {
            const preg = opPayload[j];
            e = fill[v]++;
            entryPos[e] = p;
            entryReq[e] = REQ_NONE;
            entryHint[e] = preg;
            entryEnd[e] = p + POS_FIXUP;
            fixed.add(preg, p + POS_FIXUP, late ? p + 4 : p + POS_LATE, v, false);
          } else if (con === OperandConstraint.Stack) {
            e = fill[v]++;
            entryPos[e] = p;
            entryReq[e] = REQ_NONE;
            entryHint[e] = -1;
            entryEnd[e] = p + POS_FIXUP;
          } else {
            const pos = late ? p + POS_LATE : p + POS_EARLY;
            const req = con === OperandConstraint.Reg || remat[v] >= 0 ? REQ_REG : REQ_ANY;
            e = fill[v]++;
            entryPos[e] = pos;
            entryReq[e] = req;
            entryHint[e] = -1;
            entryEnd[e] = pos + 1;
          }
        }
        // Fixed ranges in start order: early fixed defs, clobbers, late fixed defs.
        for (let j = special ? os : oe; j < oe; j++) {
          const op = operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Def || opConstraint[j] !== OperandConstraint.FixedReg) continue;
          if (((op >>> 22) & 1) === OperandPos.Early && ((op >>> 23) & 7) !== OperandConstraint.Reuse) {
            fixed.add(opPayload[j], p + POS_EARLY, p + 4, op & 0xfffff, false);
          }
        }
        const clobbers = fn.clobbers[i];
        if (clobbers !== 0) {
          for (let m = clobbers; m !== 0; m &= m - 1) {
            fixed.add(31 - Math.clz32(m & -m), p + POS_LATE, p + 4, OWNER_CLOBBER, false);
          }
        }
        for (let j = special ? os : oe; j < oe; j++) {
          const op = operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Def || opConstraint[j] !== OperandConstraint.FixedReg) continue;
          if (((op >>> 22) & 1) === OperandPos.Late || ((op >>> 23) & 7) === OperandConstraint.Reuse) {
            fixed.add(opPayload[j], p + POS_LATE, p + 4, op & 0xfffff, true);
          }
        }
        // Defs.
        for (let j = os; j < oe; j++) {
          const op = operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Def) continue;
          const v = op & 0xfffff;
          const con = opConstraint[j];
          const written = (op >>> 23) & 7; // the constraint as written, before normalisation
          const early = ((op >>> 22) & 1) === OperandPos.Early && written !== OperandConstraint.Reuse;
          let pos = early ? p + POS_EARLY : p + POS_LATE;
          let req = REQ_ANY;
          let hint = -1;
          if (con === OperandConstraint.Reuse) {
            pos = p + POS_FIXUP;
            req = REQ_REG;
          } else if (con === OperandConstraint.Reg) {
            req = REQ_REG;
          } else if (con === OperandConstraint.Any) {
            req = remat[v] >= 0 ? REQ_REG : REQ_ANY;
          } else if (con === OperandConstraint.FixedReg) {
            req = REQ_NONE;
            hint = opPayload[j];
          } else {
            req = REQ_STACK;
          }
          this.defPos[v] = pos;
          this.clobberExemptInst[v] = early ? -1 : i;
          e = fill[v]++;
          entryPos[e] = pos;
          entryReq[e] = req;
          entryHint[e] = hint;
          entryEnd[e] = p + 4;
        }
        if (i === fn.blockInstEnd[b] - 1) {
          for (let edge = fn.succStart[b]; edge < fn.succStart[b + 1]; edge++) {
            const s = fn.succs[edge];
            const params = fn.blockParamStart[s];
            const argStart = fn.branchArgStart[edge];
            for (let k = argStart; k < fn.branchArgStart[edge + 1]; k++) {
              const a = fn.branchArgs[k];
              e = fill[a]++;
              entryPos[e] = p + POS_LATE;
              entryReq[e] = REQ_NONE;
              entryHint[e] = -1;
              entryEnd[e] = p + 4;
              if (this.hintVreg[a] < 0) this.hintVreg[a] = fn.blockParams[params + k - argStart];
            }
          }
        }
      }
    }
  }

  /** Sort each vreg's entries by position (they are nearly sorted already) and link the REQ_REG ones. */
  private sortEntries(): void {
    const pos = this.entryPos;
    const end = this.entryEnd;
    const req = this.entryReq;
    const hint = this.entryHint;
    for (let v = 0; v < this.numVRegs; v++) {
      const s = this.entryStart[v];
      const e = this.entryStart[v + 1];
      for (let k = s + 1; k < e; k++) {
        const kp = pos[k];
        if (kp >= pos[k - 1]) continue;
        const ke = end[k];
        const kr = req[k];
        const kh = hint[k];
        let m = k - 1;
        while (m >= s && pos[m] > kp) {
          pos[m + 1] = pos[m];
          end[m + 1] = end[m];
          req[m + 1] = req[m];
          hint[m + 1] = hint[m];
          m--;
        }
        pos[m + 1] = kp;
        end[m + 1] = ke;
        req[m + 1] = kr;
        hint[m + 1] = kh;
      }
      let next = -1;
      for (let k = e - 1; k >= s; k--) {
        if (req[k] === REQ_REG) next = k;
        this.entryNextReg[k] = next;
      }
    }
  }
}

/** Collects fixed ranges instruction by instruction and rejects two different vregs needing one preg at once. */
class FixedRangeCollector {
  readonly preg: IntVec;
  readonly start: IntVec;
  readonly end: IntVec;
  readonly owner: IntVec;
  private readonly lastEnd: Int32Array;
  private readonly lastOwner: Int32Array;
  private inst = 0;

  constructor(
    pool: ScratchPool,
    private readonly instMask: Int32Array,
  ) {
    this.preg = pool.vec(K_VEC_PREG);
    this.start = pool.vec(K_VEC_START);
    this.end = pool.vec(K_VEC_END);
    this.owner = pool.vec(K_VEC_OWNER);
    this.lastEnd = pool.int32Fill(K_LAST_END, NUM_PREGS, -1);
    this.lastOwner = pool.int32Fill(K_LAST_OWNER, NUM_PREGS, 0);
  }

  beginInst(inst: number): void {
    this.inst = inst;
    this.instMask[inst] = 0;
  }

  add(preg: number, start: number, end: number, owner: number, lateDef: boolean): void {
    if (start < this.lastEnd[preg] && this.lastOwner[preg] !== owner) {
      const prev = this.lastOwner[preg];
      // A late def may land in a register its own instruction clobbers (a call's result in rax).
      if (!(prev === OWNER_CLOBBER && lateDef)) {
        const who = (o: number): string => (o === OWNER_CLOBBER ? 'a clobber' : `v${o}`);
        throw new RegAllocError(
          `inst ${this.inst}: preg ${preg} is required by both ${who(prev)} and ${who(owner)} at the same time`,
        );
      }
    }
    if (end > this.lastEnd[preg]) this.lastEnd[preg] = end;
    this.instMask[this.inst] |= 1 << preg;
    this.lastOwner[preg] = owner;
    this.preg.push(preg);
    this.start.push(start);
    this.end.push(end);
    this.owner.push(owner);
  }

  bucketByPreg(fixedStart: Int32Array, start: Int32Array, end: Int32Array, owner: Int32Array, pool: ScratchPool): void {
    const n = this.preg.length;
    const pregs = this.preg.data;
    for (let k = 0; k < n; k++) fixedStart[pregs[k] + 1]++;
    for (let p = 0; p < NUM_PREGS; p++) fixedStart[p + 1] += fixedStart[p];
    const fill = pool.int32(K_FIXED_FILL, NUM_PREGS);
    fill.set(fixedStart.subarray(0, NUM_PREGS));
    for (let k = 0; k < n; k++) {
      const at = fill[pregs[k]]++;
      start[at] = this.start.data[k];
      end[at] = this.end.data[k];
      owner[at] = this.owner.data[k];
    }
  }
}
