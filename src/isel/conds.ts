// Branch/select/setcc conditions: the 16 x86 condition codes plus two compound ones that float equality needs
// (ucomis reports "unordered" through PF, so ordered-equal is E∧NP and its negation NE∨P).

import { Cond, condName } from '../x64/index.js';
import { FloatCC, IntCC } from '../ir/index.js';

/** Ordered and equal: ZF = 1 and PF = 0. */
export const CC_FEQ = 16;
/** Unordered or not equal: ZF = 0 or PF = 1. */
export const CC_FNE = 17;

export function isCompoundCond(cc: number): boolean {
  return cc >= 16;
}

export function invertCondition(cc: number): number {
  if (cc === CC_FEQ) return CC_FNE;
  if (cc === CC_FNE) return CC_FEQ;
  return cc ^ 1;
}

export function conditionName(cc: number): string {
  if (cc === CC_FEQ) return 'e&np';
  if (cc === CC_FNE) return 'ne|p';
  return condName(cc);
}

/** IntCC → x86 condition after `cmp a, b`. */
export const INT_CC_TO_COND = Uint8Array.from([
  /* eq */ Cond.E, /* ne */ Cond.NE, /* slt */ Cond.L, /* sle */ Cond.LE, /* sgt */ Cond.G, /* sge */ Cond.GE,
  /* ult */ Cond.B, /* ule */ Cond.BE, /* ugt */ Cond.A, /* uge */ Cond.AE,
]);

/**
 * FloatCC → how to compare: `swap` says whether to emit `ucomis b, a` instead of `ucomis a, b`; `cond` is then the
 * condition that holds. lt/le swap so that only A/AE are needed, which are false on unordered (CF = ZF = 1).
 */
export const FLOAT_CC_SWAP = Uint8Array.from([/* eq */ 0, /* ne */ 0, /* lt */ 1, /* le */ 1, /* gt */ 0, /* ge */ 0]);
export const FLOAT_CC_TO_COND = Uint8Array.from([CC_FEQ, CC_FNE, Cond.A, Cond.AE, Cond.A, Cond.AE]);

// Keep the IR enums referenced so a renumbering there breaks the build here rather than silently.
const _checks: readonly number[] = [IntCC.uge === 9 ? 0 : 1, FloatCC.ge === 5 ? 0 : 1];
if (_checks[0] !== 0 || _checks[1] !== 0) throw new Error('isel/conds: IR condition codes were renumbered');
