// x86 condition codes, numbered by their encoding (the low nibble of Jcc/SETcc/CMOVcc opcodes).

export const Cond = {
  O: 0, // overflow
  NO: 1,
  B: 2, // below (unsigned <), carry
  AE: 3, // above or equal (unsigned >=)
  E: 4, // equal / zero
  NE: 5,
  BE: 6, // below or equal (unsigned <=)
  A: 7, // above (unsigned >)
  S: 8, // sign
  NS: 9,
  P: 10, // parity (unordered after ucomis*)
  NP: 11,
  L: 12, // signed <
  GE: 13,
  LE: 14,
  G: 15,
} as const;
export type Cond = (typeof Cond)[keyof typeof Cond];

const COND_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** The condition that holds exactly when `c` does not (flipping the low bit is the hardware rule). */
export function invertCond(c: Cond): Cond {
  return (c ^ 1) as Cond;
}

/** Mnemonic suffix, e.g. condName(Cond.AE) === 'ae'. */
export function condName(c: number): string {
  return COND_NAMES[c] ?? `<bad condition ${String(c)}>`;
}

export function isCond(c: number): c is Cond {
  return Number.isInteger(c) && c >= 0 && c <= 15;
}
