import {
  allocReg,
  allocStack,
  type MachineEnv,
  OperandConstraint,
  OperandKind,
  type RegAllocFunction,
  type RegAllocOutput,
} from './regalloc-types.js';
import { AllocCfg } from './regalloc-cfg.js';
import { RegAllocError } from './regalloc-error.js';
import { LiveRanges } from './regalloc-liveness.js';
import { ChildLocator, generateMoves } from './regalloc-moves.js';
import { OperandInfo } from './regalloc-operands.js';
import { emitEdits } from './regalloc-parallel-moves.js';
import { removeRedundantMoves } from './regalloc-redundant-moves.js';
import { LOC_STACK, POS_EARLY, POS_FIXUP, POS_LATE } from './regalloc-positions.js';
import { type OutputArena, sharedOutputArena } from './regalloc-output-arena.js';
import { type ScratchPool, sharedScratchPool } from './regalloc-pool.js';
import { LinearScan } from './regalloc-scan.js';
import { SpillSlots } from './regalloc-spill-slots.js';

export { RegAllocError } from './regalloc-error.js';

/** Pool key of the per-operand location overrides (terminators guarded against edge moves). */
const K_OPERAND_OVERRIDE = 113;

/**
 * Allocate registers for one function: linear scan with live-range splitting over the contract of
 * `regalloc-types.ts`. Pipeline:
 *   AllocCfg (layout, loops, edge placement) → OperandInfo (defs, per-vreg use lists, fixed ranges)
 *   → LiveRanges (SSA liveness) → LinearScan (assign a register, a spill slot or remat to every interval piece)
 *   → generateMoves (split, edge, fixup and fixed-def moves) → SpillSlots (spill-store placement, slot reuse)
 *   → operand allocations and sequentialised edits (ParallelMoveResolver) → removeRedundantMoves.
 *
 * Beyond the contract: the entry block has no params; a block's last instruction defines nothing if the block has
 * successors; a terminator that precedes edge moves (single successor with several predecessors) may read operands,
 * which are kept out of the moves' way, unless every register carries a value into the join (then: split the edge).
 * Output conventions: remats always target a register; a stack-to-stack move goes through the scratch register of
 * its class, or of the other class (as a 64-bit move, edit class changed accordingly) while that one holds a value
 * saved to break a cycle; early defs never sit in registers their instruction clobbers.
 * Working arrays come from `pool` (one allocation at a time per pool).
 * Throws RegAllocError when the input breaks the contract; the message names the instruction, block or vreg.
 */
export function allocateRegisters(
  fn: RegAllocFunction,
  env: MachineEnv,
  pool: ScratchPool = sharedScratchPool,
  arena: OutputArena = sharedOutputArena,
): RegAllocOutput {
  const cfg = new AllocCfg(fn, pool);
  const ops = new OperandInfo(fn, env, cfg, pool);
  const live = new LiveRanges(fn, cfg, ops, pool);
  const scan = new LinearScan(fn, env, cfg, ops, live, pool);
  scan.run();
  const locator = new ChildLocator(scan.iv, scan.firstChild, fn.numVRegs, pool);
  const override = pool.int32Fill(K_OPERAND_OVERRIDE, fn.operandStart[fn.numInsts], -1);
  const moves = generateMoves(fn, env, cfg, ops, live, scan.iv, scan.firstChild, locator, override, pool);
  const slots = new SpillSlots(fn, cfg, ops, scan.iv, locator, moves, pool);
  const allocs = operandAllocations(fn, ops, locator, slots, override, arena.int32(fn.operandStart[fn.numInsts]));
  const edits = emitEdits(fn, env.scratch, ops, moves, slots, pool);
  removeRedundantMoves(fn, cfg, env.scratch, allocs, slots.numSlots, edits, pool);

  let used = 0;
  for (let j = 0; j < allocs.length; j++) if (allocs[j] >>> 30 === 1) used |= 1 << (allocs[j] & 31);
  const numEdits = edits.length;
  const editTo = copyInt32(edits.to.data, numEdits, arena);
  for (let k = 0; k < numEdits; k++) if (editTo[k] >>> 30 === 1) used |= 1 << (editTo[k] & 31);
  return {
    allocs,
    numEdits,
    editPoint: copyInt32(edits.point.data, numEdits, arena),
    editFrom: copyInt32(edits.from.data, numEdits, arena),
    editTo,
    editClass: toUint8(edits.cls.data, numEdits, arena),
    editKind: toUint8(edits.kind.data, numEdits, arena),
    numSpillSlots: slots.numSlots,
    usedCalleeSaved: used & env.calleeSaved,
  };
}

function copyInt32(data: Int32Array, n: number, arena: OutputArena): Int32Array {
  const out = arena.int32(n);
  for (let k = 0; k < n; k++) out[k] = data[k];
  return out;
}

function toUint8(data: Int32Array, n: number, arena: OutputArena): Uint8Array {
  const out = arena.uint8(n);
  for (let k = 0; k < n; k++) out[k] = data[k];
  return out;
}

/** The location of every operand, from the interval covering its position and its constraint. */
function operandAllocations(
  fn: RegAllocFunction,
  ops: OperandInfo,
  locator: ChildLocator,
  slots: SpillSlots,
  override: Int32Array,
  allocs: Int32Array,
): Int32Array {
  const iv = locator.intervals;
  const firstChild = locator.firstChildren;
  const toAlloc = (loc: number, v: number, inst: number): number => {
    if (loc < LOC_STACK) return allocReg(loc);
    if (loc === LOC_STACK && slots.slotOf[v] >= 0) return allocStack(slots.slotOf[v]);
    throw new RegAllocError(`internal: v${v} at inst ${inst} has no location`);
  };
  for (let i = 0; i < fn.numInsts; i++) {
    const p = 4 * i;
    for (let j = fn.operandStart[i]; j < fn.operandStart[i + 1]; j++) {
      const op = fn.operands[j];
      const v = op & 0xfffff;
      const con = ops.opConstraint[j];
      if (((op >>> 20) & 3) === OperandKind.Use) {
        const reuse = ops.opReadsReuse[j];
        if (override[j] >= 0) {
          allocs[j] = allocReg(override[j]);
        } else if (reuse >= 0) {
          allocs[j] = toAlloc(locator.locAt(fn.operands[reuse] & 0xfffff, p + POS_FIXUP), v, i);
        } else if (con === OperandConstraint.FixedReg) {
          allocs[j] = allocReg(ops.opPayload[j]);
        } else if (con === OperandConstraint.Stack) {
          allocs[j] = toAlloc(LOC_STACK, v, i);
        } else {
          const c = firstChild[v];
          const late = ((op >>> 22) & 1) === 1;
          const loc = iv.next[c] < 0 ? iv.loc[c] : locator.locAt(v, p + (late ? POS_LATE : POS_EARLY));
          allocs[j] = toAlloc(loc, v, i);
        }
      } else if (con === OperandConstraint.FixedReg) {
        allocs[j] = allocReg(ops.opPayload[j]);
      } else {
        const c = firstChild[v];
        allocs[j] = toAlloc(iv.next[c] < 0 ? iv.loc[c] : locator.locAt(v, ops.defPos[v]), v, i);
      }
    }
  }
  return allocs;
}
