/** Test helpers for the IR suites: structural comparison of functions. */
import { NONE, type Inst, type IrFunction } from '../../src/ir/index.js';

/** Returns null when the two functions are structurally equal, else a description of the first difference. */
export function diffFunctions(fa: IrFunction, fb: IrFunction): string | null {
  if (fa.name !== fb.name) return `name ${fa.name} vs ${fb.name}`;
  if (!fa.signature.equals(fb.signature)) return `signature ${fa.signature} vs ${fb.signature}`;
  const da = fa.dfg;
  const db = fb.dfg;
  if (da.signatures.length !== db.signatures.length) return 'signature count';
  for (let i = 0; i < da.signatures.length; i++) {
    if (!da.signatures[i]!.equals(db.signatures[i]!)) return `sig${i}`;
  }
  if (da.extFuncs.length !== db.extFuncs.length) return 'function ref count';
  for (let i = 0; i < da.extFuncs.length; i++) {
    if (da.extFuncs[i]!.toString() !== db.extFuncs[i]!.toString()) return `fn${i}`;
  }
  let ba = fa.layout.firstBlock;
  let bb = fb.layout.firstBlock;
  while (ba !== NONE || bb !== NONE) {
    if (ba !== bb) return `block order: block${ba} vs block${bb}`;
    const blk = ba;
    if (da.isCold(blk) !== db.isCold(blk)) return `block${blk} cold flag`;
    const np = da.numBlockParams(blk);
    if (np !== db.numBlockParams(blk)) return `block${blk} param count`;
    for (let i = 0; i < np; i++) {
      const pa = da.blockParam(blk, i);
      const pb = db.blockParam(blk, i);
      if (pa !== pb || da.valueType(pa) !== db.valueType(pb)) return `block${blk} param ${i}`;
    }
    let ia = fa.layout.firstInst(blk);
    let ib = fb.layout.firstInst(blk);
    let k = 0;
    while (ia !== NONE || ib !== NONE) {
      if (ia === NONE || ib === NONE) return `block${blk}: instruction count differs at ${k}`;
      const d = diffInst(fa, ia, fb, ib);
      if (d !== null) return `block${blk} inst ${k}: ${d}`;
      ia = fa.layout.nextInst(ia);
      ib = fb.layout.nextInst(ib);
      k++;
    }
    ba = fa.layout.nextBlock(ba);
    bb = fb.layout.nextBlock(bb);
  }
  return null;
}

function diffInst(fa: IrFunction, ia: Inst, fb: IrFunction, ib: Inst): string | null {
  const da = fa.dfg;
  const db = fb.dfg;
  if (da.opcode(ia) !== db.opcode(ib)) return 'opcode';
  if (da.instType(ia) !== db.instType(ib)) return 'controlling type';
  if (da.immLo(ia) !== db.immLo(ib) || da.immHi(ia) !== db.immHi(ib)) return 'immediate';
  if (da.aux(ia) !== db.aux(ib)) return 'aux field';
  if (da.srcLoc(ia) !== db.srcLoc(ib)) return 'srcloc';
  if (da.trapFuel(ia) !== db.trapFuel(ib)) return 'trap fuel';
  const nr = da.numResults(ia);
  if (nr !== db.numResults(ib)) return 'result count';
  for (let i = 0; i < nr; i++) {
    const ra = da.result(ia, i);
    const rb = db.result(ib, i);
    if (ra !== rb || da.valueType(ra) !== db.valueType(rb)) return `result ${i}`;
  }
  const na = da.numArgs(ia);
  if (na !== db.numArgs(ib)) return 'operand count';
  for (let i = 0; i < na; i++) if (da.arg(ia, i) !== db.arg(ib, i)) return `operand ${i}`;
  const nd = da.numDests(ia);
  if (nd !== db.numDests(ib)) return 'destination count';
  for (let k = 0; k < nd; k++) {
    if (da.destBlock(ia, k) !== db.destBlock(ib, k)) return `destination ${k}`;
    const n = da.numDestArgs(ia, k);
    if (n !== db.numDestArgs(ib, k)) return `destination ${k} argument count`;
    for (let i = 0; i < n; i++) if (da.destArg(ia, k, i) !== db.destArg(ib, k, i)) return `destination ${k} arg ${i}`;
  }
  return null;
}
