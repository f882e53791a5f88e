// Operation selectors and their opcode tables. Each selector is a small integer indexing typed-array tables, so the
// encoder does one array load instead of a switch, and no strings are touched on the encode path.

/** The eight classic ALU operations; the value is the /digit of opcodes 80/81/83 and (value*8) the r/m opcode base. */
export const AluOp = { Add: 0, Or: 1, Adc: 2, Sbb: 3, And: 4, Sub: 5, Xor: 6, Cmp: 7 } as const;
export type AluOp = (typeof AluOp)[keyof typeof AluOp];
export const ALU_NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];

/** Shifts and rotates; the value is the /digit of opcodes C0/C1/D0/D1/D2/D3. */
export const ShiftOp = { Rol: 0, Ror: 1, Shl: 4, Shr: 5, Sar: 7 } as const;
export type ShiftOp = (typeof ShiftOp)[keyof typeof ShiftOp];
export const SHIFT_NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];

/** One-operand group-3 operations (F6/F7 /digit). Mul..Idiv work on rdx:rax (ah:al for bytes). */
export const UnaryOp = { Not: 2, Neg: 3, Mul: 4, Imul: 5, Div: 6, Idiv: 7 } as const;
export type UnaryOp = (typeof UnaryOp)[keyof typeof UnaryOp];
export const UNARY_NAMES = ['test', '', 'not', 'neg', 'mul', 'imul', 'div', 'idiv'];

/** Bit counting / scanning: reg, reg/mem with sizes 2, 4, 8. */
export const BitOp = { Popcnt: 0, Lzcnt: 1, Tzcnt: 2, Bsf: 3, Bsr: 4 } as const;
export type BitOp = (typeof BitOp)[keyof typeof BitOp];
export const BIT_NAMES = ['popcnt', 'lzcnt', 'tzcnt', 'bsf', 'bsr'];
export const BIT_PREFIX = new Uint8Array([0xf3, 0xf3, 0xf3, 0, 0]);
export const BIT_OPCODE = new Uint16Array([0x0fb8, 0x0fbd, 0x0fbc, 0x0fbc, 0x0fbd]);

/**
 * SSE operations of the form `op xmm, xmm/mem` (and, for moves, the store form `op mem, xmm`).
 * Scalar ops read 4 (ss) or 8 (sd) bytes from memory; packed/logical ops read 16 and require 16-byte alignment
 * (movups/movupd/movdqu do not).
 */
export const SseOp = {
  Movss: 0,
  Movsd: 1,
  Movaps: 2,
  Movapd: 3,
  Movups: 4,
  Movupd: 5,
  Movdqa: 6,
  Movdqu: 7,
  Addss: 8,
  Addsd: 9,
  Subss: 10,
  Subsd: 11,
  Mulss: 12,
  Mulsd: 13,
  Divss: 14,
  Divsd: 15,
  Sqrtss: 16,
  Sqrtsd: 17,
  Minss: 18,
  Minsd: 19,
  Maxss: 20,
  Maxsd: 21,
  Ucomiss: 22,
  Ucomisd: 23,
  Cvtss2sd: 24,
  Cvtsd2ss: 25,
  Andps: 26,
  Andpd: 27,
  Andnps: 28,
  Andnpd: 29,
  Orps: 30,
  Orpd: 31,
  Xorps: 32,
  Xorpd: 33,
  Pxor: 34,
} as const;
export type SseOp = (typeof SseOp)[keyof typeof SseOp];

// [mnemonic, mandatory prefix, load/op opcode (0F xx), store opcode (0F xx) or 0, memory width in bytes]
const SSE_TABLE: ReadonlyArray<readonly [string, number, number, number, number]> = [
  ['movss', 0xf3, 0x0f10, 0x0f11, 4],
  ['movsd', 0xf2, 0x0f10, 0x0f11, 8],
  ['movaps', 0, 0x0f28, 0x0f29, 16],
  ['movapd', 0x66, 0x0f28, 0x0f29, 16],
  ['movups', 0, 0x0f10, 0x0f11, 16],
  ['movupd', 0x66, 0x0f10, 0x0f11, 16],
  ['movdqa', 0x66, 0x0f6f, 0x0f7f, 16],
  ['movdqu', 0xf3, 0x0f6f, 0x0f7f, 16],
  ['addss', 0xf3, 0x0f58, 0, 4],
  ['addsd', 0xf2, 0x0f58, 0, 8],
  ['subss', 0xf3, 0x0f5c, 0, 4],
  ['subsd', 0xf2, 0x0f5c, 0, 8],
  ['mulss', 0xf3, 0x0f59, 0, 4],
  ['mulsd', 0xf2, 0x0f59, 0, 8],
  ['divss', 0xf3, 0x0f5e, 0, 4],
  ['divsd', 0xf2, 0x0f5e, 0, 8],
  ['sqrtss', 0xf3, 0x0f51, 0, 4],
  ['sqrtsd', 0xf2, 0x0f51, 0, 8],
  ['minss', 0xf3, 0x0f5d, 0, 4],
  ['minsd', 0xf2, 0x0f5d, 0, 8],
  ['maxss', 0xf3, 0x0f5f, 0, 4],
  ['maxsd', 0xf2, 0x0f5f, 0, 8],
  ['ucomiss', 0, 0x0f2e, 0, 4],
  ['ucomisd', 0x66, 0x0f2e, 0, 8],
  ['cvtss2sd', 0xf3, 0x0f5a, 0, 4],
  ['cvtsd2ss', 0xf2, 0x0f5a, 0, 8],
  ['andps', 0, 0x0f54, 0, 16],
  ['andpd', 0x66, 0x0f54, 0, 16],
  ['andnps', 0, 0x0f55, 0, 16],
  ['andnpd', 0x66, 0x0f55, 0, 16],
  ['orps', 0, 0x0f56, 0, 16],
  ['orpd', 0x66, 0x0f56, 0, 16],
  ['xorps', 0, 0x0f57, 0, 16],
  ['xorpd', 0x66, 0x0f57, 0, 16],
  ['pxor', 0x66, 0x0fef, 0, 16],
];

export const SSE_COUNT = SSE_TABLE.length;
export const SSE_NAMES: readonly string[] = SSE_TABLE.map((e) => e[0]);
export const SSE_PREFIX = Uint8Array.from(SSE_TABLE, (e) => e[1]);
export const SSE_OPCODE = Uint16Array.from(SSE_TABLE, (e) => e[2]);
export const SSE_STORE_OPCODE = Uint16Array.from(SSE_TABLE, (e) => e[3]);
export const SSE_MEM_WIDTH = Uint8Array.from(SSE_TABLE, (e) => e[4]);

/** SSE4.1 rounding-mode immediates for roundss/roundsd (with "suppress precision exception" set, as wasm wants). */
export const RoundMode = { Nearest: 0x8, Floor: 0x9, Ceil: 0xa, Trunc: 0xb } as const;
export type RoundMode = (typeof RoundMode)[keyof typeof RoundMode];
