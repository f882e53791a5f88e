/**
 * Dead-code elimination (mark and sweep, so dead cycles through loop block parameters go too).
 *
 * Roots are the operands of every instruction that must stay: side effects (stores, calls, traps,
 * set_pinned_reg), anything that may trap (loads without `notrap`, divisions, trapping conversions) and
 * terminators (a branch's condition and a return's values; branch *arguments* are live only when the parameter
 * they feed is). Liveness flows from a used result to its instruction's operands and from a used block
 * parameter to the matching argument of every branch to that block. Then unused removable instructions leave the
 * layout and unused parameters of non-entry blocks are removed together with their branch arguments.
 *
 * Every block in the layout counts, reachable or not, so the function stays valid either way.
 */
import { ValueKind } from '../dfg.js';
import type { IrFunction } from '../function.js';
import { NONE } from '../ids.js';

/** Result of one DCE run. */
export interface DceStats {
  /** Instructions taken out of the layout. */
  insts: number;
  /** Block parameters removed (with their branch arguments). */
  params: number;
}

// Scratch arrays shared by every run (DCE runs synchronously, twice per function at optLevel 2): grow-only, so a
// run allocates nothing once they are big enough. Only the prefixes a run fills are meaningful.
let scratchEdgeStart = new Int32Array(64);
let scratchFill = new Int32Array(64);
let scratchEdgeInst = new Int32Array(64);
let scratchEdgeDest = new Int32Array(64);
let scratchLive = new Uint8Array(256);
let scratchStack = new Int32Array(256);

/** Removes unused pure instructions and unused block parameters; returns how many of each. */
export function eliminateDeadCode(func: IrFunction): DceStats {
  const { dfg, layout } = func;
  const stats: DceStats = { insts: 0, params: 0 };
  const entry = layout.firstBlock;
  if (entry === NONE) return stats;
  const nv = dfg.numValues;
  const nb = dfg.numBlocks;

  // Incoming edges per block, as (branch inst, destination index) pairs in CSR form.
  if (scratchEdgeStart.length < nb + 1) {
    scratchEdgeStart = new Int32Array(Math.max(nb + 1, scratchEdgeStart.length * 2));
    scratchFill = new Int32Array(scratchEdgeStart.length);
  }
  const edgeStart = scratchEdgeStart;
  edgeStart.fill(0, 0, nb + 1);
  for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
    const term = layout.lastInst(b);
    if (term === NONE) continue;
    const nd = dfg.numDests(term);
    for (let k = 0; k < nd; k++) edgeStart[dfg.destBlock(term, k) + 1]++;
  }
  for (let b = 0; b < nb; b++) edgeStart[b + 1] += edgeStart[b]!;
  const numEdges = edgeStart[nb]!;
  if (scratchEdgeInst.length < numEdges) {
    scratchEdgeInst = new Int32Array(Math.max(numEdges, scratchEdgeInst.length * 2));
    scratchEdgeDest = new Int32Array(scratchEdgeInst.length);
  }
  const edgeInst = scratchEdgeInst;
  const edgeDest = scratchEdgeDest;
  const fill = scratchFill;
  for (let b = 0; b < nb; b++) fill[b] = edgeStart[b]!;
  for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
    const term = layout.lastInst(b);
    if (term === NONE) continue;
    const nd = dfg.numDests(term);
    for (let k = 0; k < nd; k++) {
      const slot = fill[dfg.destBlock(term, k)]!++;
      edgeInst[slot] = term;
      edgeDest[slot] = k;
    }
  }

  // Mark: `live` flags values; `stack` holds live values whose definitions are not yet visited.
  if (scratchLive.length < nv) {
    scratchLive = new Uint8Array(Math.max(nv, scratchLive.length * 2));
    scratchStack = new Int32Array(scratchLive.length);
  }
  const live = scratchLive;
  live.fill(0, 0, nv);
  const stack = scratchStack;
  let sp = 0;
  for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      if (dfg.isRemovableIfUnused(inst)) continue;
      const n = dfg.numArgs(inst);
      for (let i = 0; i < n; i++) {
        const v = dfg.arg(inst, i);
        if (live[v] === 0) {
          live[v] = 1;
          stack[sp++] = v;
        }
      }
    }
  }
  while (sp > 0) {
    const v = stack[--sp]!;
    const kind = dfg.valueKind(v);
    if (kind === ValueKind.Result) {
      const inst = dfg.valueDef(v);
      const n = dfg.numArgs(inst);
      for (let i = 0; i < n; i++) {
        const a = dfg.arg(inst, i);
        if (live[a] === 0) {
          live[a] = 1;
          stack[sp++] = a;
        }
      }
    } else if (kind === ValueKind.Param) {
      const b = dfg.valueDef(v);
      const idx = dfg.valueNum(v);
      for (let e = edgeStart[b]!; e < edgeStart[b + 1]!; e++) {
        const a = dfg.destArg(edgeInst[e]!, edgeDest[e]!, idx);
        if (live[a] === 0) {
          live[a] = 1;
          stack[sp++] = a;
        }
      }
    }
  }

  // Sweep instructions.
  for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== NONE;) {
      const next = layout.nextInst(inst);
      if (dfg.isRemovableIfUnused(inst)) {
        let used = false;
        const nr = dfg.numResults(inst);
        for (let i = 0; i < nr && !used; i++) used = live[dfg.result(inst, i)] === 1;
        if (!used) {
          layout.removeInst(inst);
          stats.insts++;
        }
      }
      inst = next;
    }
  }

  // Sweep block parameters (never the entry block's: they are the function's parameters).
  for (let b = layout.nextBlock(entry); b !== NONE; b = layout.nextBlock(b)) {
    for (let i = dfg.numBlockParams(b) - 1; i >= 0; i--) {
      if (live[dfg.blockParam(b, i)] === 1) continue;
      for (let e = edgeStart[b]!; e < edgeStart[b + 1]!; e++) dfg.removeDestArg(edgeInst[e]!, edgeDest[e]!, i);
      dfg.removeBlockParam(b, i);
      stats.params++;
    }
  }
  return stats;
}
