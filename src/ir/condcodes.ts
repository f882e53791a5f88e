/**
 * Condition codes for `icmp`/`icmp_imm` (integer) and `fcmp` (float). Both give an i32 that is 0 or 1.
 */

/** Integer condition codes; `s` = signed, `u` = unsigned. */
export const IntCC = {
  eq: 0,
  ne: 1,
  slt: 2,
  sle: 3,
  sgt: 4,
  sge: 5,
  ult: 6,
  ule: 7,
  ugt: 8,
  uge: 9,
} as const;
export type IntCC = number;
export const INT_CC_COUNT = 10;
const INT_CC_NAMES = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];

export function intCCName(cc: IntCC): string {
  return INT_CC_NAMES[cc] ?? `intcc?${cc}`;
}

/** Returns the code for a name, or -1. */
export function parseIntCC(name: string): IntCC {
  return INT_CC_NAMES.indexOf(name);
}

/** The condition that holds exactly when `cc` does not (eq <-> ne, slt <-> sge, ...). */
export function invertIntCC(cc: IntCC): IntCC {
  return INVERT_INT[cc]!;
}
const INVERT_INT = [1, 0, 5, 4, 3, 2, 9, 8, 7, 6];

/** The condition with operands swapped (a slt b  <=>  b sgt a). */
export function swapIntCC(cc: IntCC): IntCC {
  return SWAP_INT[cc]!;
}
const SWAP_INT = [0, 1, 4, 5, 2, 3, 8, 9, 6, 7];

/**
 * Float condition codes with wasm semantics: `eq lt le gt ge` are ordered (false when either operand is NaN);
 * `ne` is unordered-or-not-equal (true when either operand is NaN), exactly like wasm's `f32.ne`.
 */
export const FloatCC = {
  eq: 0,
  ne: 1,
  lt: 2,
  le: 3,
  gt: 4,
  ge: 5,
} as const;
export type FloatCC = number;
export const FLOAT_CC_COUNT = 6;
const FLOAT_CC_NAMES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

export function floatCCName(cc: FloatCC): string {
  return FLOAT_CC_NAMES[cc] ?? `floatcc?${cc}`;
}

/** Returns the code for a name, or -1. */
export function parseFloatCC(name: string): FloatCC {
  return FLOAT_CC_NAMES.indexOf(name);
}

/** Evaluates an integer comparison on two 32-bit patterns (for constant folding). */
export function evalIntCC32(cc: IntCC, a: number, b: number): boolean {
  switch (cc) {
    case IntCC.eq: return (a | 0) === (b | 0);
    case IntCC.ne: return (a | 0) !== (b | 0);
    case IntCC.slt: return (a | 0) < (b | 0);
    case IntCC.sle: return (a | 0) <= (b | 0);
    case IntCC.sgt: return (a | 0) > (b | 0);
    case IntCC.sge: return (a | 0) >= (b | 0);
    case IntCC.ult: return a >>> 0 < b >>> 0;
    case IntCC.ule: return a >>> 0 <= b >>> 0;
    case IntCC.ugt: return a >>> 0 > b >>> 0;
    case IntCC.uge: return a >>> 0 >= b >>> 0;
    default: throw new Error(`evalIntCC32: bad condition code ${cc}`);
  }
}
