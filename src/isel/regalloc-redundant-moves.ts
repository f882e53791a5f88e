import {
  EDIT_REMAT,
  NUM_PREGS,
  OperandConstraint,
  OperandKind,
  OperandPos,
  type RegAllocFunction,
} from './regalloc-types.js';
import { type AllocCfg } from './regalloc-cfg.js';
import { type EditList } from './regalloc-parallel-moves.js';
import { type ScratchPool } from './regalloc-pool.js';

const K_CONTENT = 110;
const K_STAMP = 111;
const K_KEEP = 112;

/**
 * Drops moves whose destination already holds the value they would write (a reload into a register that still has
 * the value since it was spilled, a copy repeated by two fixups, ...). Within each block, forwards, it tracks which
 * vreg's value each location holds: defs write their vreg, moves copy, remats write their vreg, clobbers and the
 * scratch registers (free for emission inside any instruction) forget. Knowledge is reset at block starts, so no
 * reasoning about joins or loop iterations is needed: inside a block an SSA vreg has one value.
 * Returns the number of edits kept; `edits` is compacted in place.
 */
export function removeRedundantMoves(
  fn: RegAllocFunction,
  cfg: AllocCfg,
  scratch: readonly [number, number],
  allocs: Int32Array,
  numSlots: number,
  edits: EditList,
  pool: ScratchPool,
): number {
  const numLocs = NUM_PREGS + numSlots;
  const content = pool.int32(K_CONTENT, numLocs);
  const stamp = pool.int32Fill(K_STAMP, numLocs, -1);
  const n = edits.length;
  const keep = pool.int32(K_KEEP, n);
  const point = edits.point.data;
  const from = edits.from.data;
  const to = edits.to.data;
  const kind = edits.kind.data;
  let k = 0;
  let kept = 0;
  for (let li = 0; li < cfg.numBlocks; li++) {
    const b = cfg.layout[li];
    const blockStart = fn.blockInstStart[b];
    const blockEnd = fn.blockInstEnd[b];
    // A location's content is known only if stamped with this block's layout index.
    while (k < n && point[k] < 2 * blockStart) keep[kept++] = k++;
    // Knowledge is per block: after the block's last edit (or in a block without edits) nothing is left to check.
    for (let i = blockStart; i < blockEnd && k < n && point[k] < 2 * blockEnd; i++) {
      for (let side = 0; side < 2; side++) {
        const p = 2 * i + side;
        for (; k < n && point[k] === p; k++) {
          const t = locOf(to[k]);
          const known = stamp[t] === li ? content[t] : -1;
          let v: number;
          if (kind[k] === EDIT_REMAT) {
            v = fn.operands[fn.operandStart[from[k]]] & 0xfffff;
          } else {
            const f = locOf(from[k]);
            v = stamp[f] === li ? content[f] : -1;
          }
          if (v >= 0 && known === v) continue; // already there
          content[t] = v;
          stamp[t] = v >= 0 ? li : -1;
          keep[kept++] = k;
        }
        if (side === 1) continue;
        // The instruction: early defs, then clobbers and scratch use, then late defs.
        const os = fn.operandStart[i];
        const oe = fn.operandStart[i + 1];
        for (let j = os; j < oe; j++) {
          const op = fn.operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Def || !isEarlyDef(op)) continue;
          const t = locOf(allocs[j]);
          content[t] = op & 0xfffff;
          stamp[t] = li;
        }
        stamp[scratch[0]] = -1;
        stamp[scratch[1]] = -1;
        const clobbers = fn.clobbers[i];
        if (clobbers !== 0) for (let r = 0; r < NUM_PREGS; r++) if ((clobbers >>> r) & 1) stamp[r] = -1;
        for (let j = os; j < oe; j++) {
          const op = fn.operands[j];
          if (((op >>> 20) & 3) !== OperandKind.Def || isEarlyDef(op)) continue;
          const t = locOf(allocs[j]);
          content[t] = op & 0xfffff;
          stamp[t] = li;
        }
      }
    }
  }
  while (k < n) keep[kept++] = k++;
  if (kept === n) return n;
  for (let m = 0; m < kept; m++) {
    const s = keep[m];
    point[m] = point[s];
    from[m] = from[s];
    to[m] = to[s];
    edits.cls.data[m] = edits.cls.data[s];
    kind[m] = kind[s];
  }
  edits.point.length = kept;
  edits.from.length = kept;
  edits.to.length = kept;
  edits.cls.length = kept;
  edits.kind.length = kept;
  return kept;
}

/** Location index of an allocation: the preg, or NUM_PREGS + slot. */
function locOf(alloc: number): number {
  return alloc >>> 30 === 1 ? alloc & 31 : NUM_PREGS + (alloc & 0x3fffffff);
}

function isEarlyDef(op: number): boolean {
  return ((op >>> 22) & 1) === OperandPos.Early && ((op >>> 23) & 7) !== OperandConstraint.Reuse;
}
