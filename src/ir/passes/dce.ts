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

// Scratch arrays shared by every run (passes run synchronously): grow-only, so a run allocates nothing once they
// are big enough. Only the prefixes a run fills are meaningful.
let scratchEdgeStart = new Int32Array(64);
let scratchFill = new Int32Array(64);
let scratchEdgeInst = new Int32Array(64);
let scratchEdgeDest = new Int32Array(64);
let scratchLive = new Uint8Array(256);
let scratchStack = new Int32Array(256);
/** Removable instructions in layout order (the sweep's candidates), and the branches, in layout order. */
let scratchCandidates = new Int32Array(256);
let scratchTerms = new Int32Array(64);
/** Non-entry blocks with parameters (the only ones the parameter sweep needs to look at). */
let scratchParamBlocks = new Int32Array(64);

/** Removes unused pure instructions and unused block parameters; returns how many of each. */
export function eliminateDeadCode(func: IrFunction): DceStats {
  const { dfg, layout } = func;
  const stats: DceStats = { insts: 0, params: 0 };
  const entry = layout.firstBlock;
  if (entry === NONE) return stats;
  const nv = dfg.numValues;
  const nb = dfg.numBlocks;
  const ni = dfg.numInsts;

  if (scratchEdgeStart.length < nb + 1) {
    scratchEdgeStart = new Int32Array(Math.max(nb + 1, scratchEdgeStart.length * 2));
    scratchFill = new Int32Array(scratchEdgeStart.length);
    scratchTerms = new Int32Array(scratchEdgeStart.length);
    scratchParamBlocks = new Int32Array(scratchEdgeStart.length);
  }
  if (scratchLive.length < nv) {
    scratchLive = new Uint8Array(Math.max(nv, scratchLive.length * 2));
    scratchStack = new Int32Array(scratchLive.length);
  }
  if (scratchCandidates.length < ni) scratchCandidates = new Int32Array(Math.max(ni, scratchCandidates.length * 2));
  const edgeStart = scratchEdgeStart;
  edgeStart.fill(0, 0, nb + 1);
  const live = scratchLive;
  live.fill(0, 0, nv);
  const stack = scratchStack;
  let sp = 0;
  const candidates = scratchCandidates;
  let nCandidates = 0;
  const terms = scratchTerms;
  let nTerms = 0;
  const paramBlocks = scratchParamBlocks;
  let nParamBlocks = 0;

  // One walk over the layout: roots (operands of instructions that must stay) are marked live, removable
  // instructions are collected for the sweep, and incoming edges are counted per block.
  for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
    if (b !== entry && dfg.numBlockParams(b) > 0) paramBlocks[nParamBlocks++] = b;
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      if (dfg.isRemovableIfUnused(inst)) {
        candidates[nCandidates++] = inst;
        continue;
      }
      const n = dfg.numArgs(inst);
      for (let i = 0; i < n; i++) {
        const v = dfg.arg(inst, i);
        if (live[v] === 0) {
          live[v] = 1;
          stack[sp++] = v;
        }
      }
    }
    const term = layout.lastInst(b);
    if (term === NONE) continue;
    const nd = dfg.numDests(term);
    if (nd === 0) continue;
    terms[nTerms++] = term;
    for (let k = 0; k < nd; k++) edgeStart[dfg.destBlock(term, k) + 1]++;
  }

  // Incoming edges per block, as (branch inst, destination index) pairs in CSR form, in layout order of the
  // branching blocks.
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
  for (let t = 0; t < nTerms; t++) {
    const term = terms[t]!;
    const nd = dfg.numDests(term);
    for (let k = 0; k < nd; k++) {
      const slot = fill[dfg.destBlock(term, k)]!++;
      edgeInst[slot] = term;
      edgeDest[slot] = k;
    }
  }

  // Mark: `stack` holds live values whose definitions are not yet visited.
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

  // Sweep instructions: only the removable ones can go.
  for (let c = 0; c < nCandidates; c++) {
    const inst = candidates[c]!;
    let used = false;
    const nr = dfg.numResults(inst);
    for (let i = 0; i < nr && !used; i++) used = live[dfg.result(inst, i)] === 1;
    if (!used) {
      layout.removeInst(inst);
      stats.insts++;
    }
  }

  // Sweep block parameters (never the entry block's: they are the function's parameters).
  for (let j = 0; j < nParamBlocks; j++) {
    const b = paramBlocks[j]!;
    for (let i = dfg.numBlockParams(b) - 1; i >= 0; i--) {
      if (live[dfg.blockParam(b, i)] === 1) continue;
      for (let e = edgeStart[b]!; e < edgeStart[b + 1]!; e++) dfg.removeDestArg(edgeInst[e]!, edgeDest[e]!, i);
      dfg.removeBlockParam(b, i);
      stats.params++;
    }
  }
  return stats;
}
