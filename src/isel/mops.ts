// Machine operations of the VCode: one x86-64 instruction, or a short fixed sequence that must stay together (a
// division with its fixed registers, a checked float→int conversion with its trap branches). Each MOp has a fixed
// operand layout (documented per entry: uses/defs in order, then the address-mode registers if the op has a memory
// operand). Emission (emit-inst.ts) reads operands by those positions.
//
// Constraint shorthand: R = register, A = register or spill slot (the instruction has a memory form), F(reg) = fixed
// register, ^k = the def reuses the register of operand k (x64 two-address forms), E = early def (a temporary that must
// not share a register with any input).

export const MOp = {
  // ---- pseudo instructions and moves ----
  /** Incoming arguments: defs F(abi reg)… . Emits nothing. */
  Args: 0,
  /** [def d R]: d = incoming stack argument at [rbp + 16 + aux]; sub = LoadKind. */
  LoadIncoming: 1,
  /** [def d R]: d = imm (size 4|8; imm/immHi). Rematerialisable; zero → `xor d32, d32` (remat: `mov d, 0`). */
  MovImm: 2,
  /** [def d R]: d = float constant (size 4|8, bits in imm/immHi). Rematerialisable; +0 → `xorps d, d`. */
  XmmConst: 3,
  /** [use s A, def d R]: mov d, s (size 4|8). */
  Mov: 4,
  /** [use s R, def d R]: movaps d, s. */
  XmmMov: 5,

  // ---- integer ALU ----
  /** [use a R, use b A, def d ^0]: sub = AluOp. */
  AluRR: 6,
  /** [use a R, def d ^0]: op d, imm. */
  AluRI: 7,
  /** [use a R, def d ^0, mem…]: op d, [m] (load-op). */
  AluRM: 8,
  /** [mem…]: op [m], imm (read-modify-write; sets flags). */
  AluMI: 9,
  /** [use b R, mem…]: op [m], b (read-modify-write; sets flags). */
  AluMR: 10,
  /** [use a R, use b A]: cmp/test a, b (sub = AluOp.Cmp or CMP_TEST). Flags only. */
  CmpRR: 11,
  /** [use a A]: cmp/test a, imm. */
  CmpRI: 12,
  /** [use a R, mem…]: cmp/test a, [m]. */
  CmpRM: 13,
  /** [mem…]: cmp/test [m], imm. */
  CmpMI: 14,
  /** [use b R, mem…]: cmp/test [m], b. */
  CmpMR: 15,
  /** [def d R, mem…]: lea d, [m]. */
  Lea: 16,
  /** [use a R, use b A, def d ^0]: imul d, b. */
  ImulRR: 17,
  /** [use a A, def d R]: imul d, a, imm. */
  ImulRRI: 18,
  /** [use a R, def d ^0, mem…]: imul d, [m]. */
  ImulRM: 19,
  /** [use a R, def d ^0]: sub = ShiftOp; shift d, imm. */
  ShiftRI: 20,
  /** [use a R, use c F(rcx), def d ^0]: shift d, cl (the hardware masks the count exactly like wasm). */
  ShiftRCl: 21,
  /** [use a R, def d ^0]: sub = UnaryOp (not/neg). */
  Unary: 22,
  /** [use x F(rax), use y R, def q F(rax), def r E F(rdx)]: sub 0 = div (xor edx,edx), 1 = idiv (cdq/cqo). */
  Div: 23,
  /** Same operands as Div: signed remainder where y = -1 gives 0 instead of the #DE of INT_MIN % -1. */
  SremSeq: 24,
  /** [use x R, use y R]: trap (site aux) when y = -1 and x = INT_MIN: `cmp y,-1; jne L; cmp x,1; jo trap; L:`. */
  SdivOvfCheck: 25,
  /** []: j<sub> to the trap site aux (sub may be a compound float condition). */
  TrapIf: 26,
  /** [def d R]: setcc + movzx (compound float conditions combine two setcc through r11). */
  Setcc: 27,
  /** [use base R, use alt A, def d ^0]: d = cond ? alt : base (cmovcc; sub never FEQ, see lower-flags.ts). */
  Cmov: 28,
  /** [use base R, use alt R, def d ^0]: float select through a short branch around `movaps d, alt`. */
  XmmCmov: 29,
  /** [use s A, def d R]: sub = ExtendKind: movzx/movsx/movsxd. */
  Movx: 30,
  /** [use s A, def d R]: sub = BitOp (popcnt/lzcnt/tzcnt), size 4|8. */
  BitRR: 31,
  /** [use s R, def d R]: clz without LZCNT: `mov r11, 2w-1; bsr d, s; cmovz d, r11; xor d, w-1`. */
  ClzBsr: 32,
  /** [use s R, def d R]: ctz without BMI1: `mov r11, w; bsf d, s; cmovz d, r11`. */
  CtzBsf: 33,
  /** [use s R, def d R, def t E]: popcnt without POPCNT (SWAR bit counting). */
  PopcntSeq: 34,

  // ---- memory ----
  /** [def d R, mem…]: sub = LoadKind. */
  Load: 35,
  /** [use v R, mem…]: sub = StoreKind. */
  Store: 36,
  /** [mem…]: mov [m], imm (size 1|2|4|8, imm32 sign-extended for 8). */
  StoreImm: 37,

  // ---- floating point ----
  /** [use a R, use b A, def d ^0]: sub = SseOp (addsd, mulss, ...). */
  XmmRR: 38,
  /** [use a R, def d ^0, mem…]: sub = SseOp with a memory source (load-op). */
  XmmRM: 39,
  /** [use s A, def d R]: sub = SseOp: sqrtss/sd, cvtss2sd, cvtsd2ss. */
  XmmUnary: 40,
  /** [use a R, def d ^0]: sub = SseOp (andps/xorps) with the 16-byte mask constant aux (MaskKind). */
  XmmMaskOp: 41,
  /** [use x R, use y R, def d ^0]: copysign through xmm15 (size 4|8). */
  Copysign: 42,
  /** [use a R, use b A]: ucomiss/ucomisd a, b (size 4|8). Flags only. */
  Ucomis: 43,
  /** [use a R, mem…]: ucomis a, [m]. */
  UcomisRM: 44,
  /** [use a R, use b R, def d ^0]: wasm fmin (sub 0) / fmax (sub 1) with NaN and ±0 handling (size 4|8). */
  FMinMax: 45,
  /** [use s A, def d R]: roundss/roundsd d, s, imm (SSE4.1; imm = RoundMode). */
  Round: 46,
  /** [use s R, def d ^0, def t E]: ceil/floor/trunc/nearest without SSE4.1 (the 2^52 trick; imm = RoundMode). */
  RoundSse2: 47,
  /** [use s A, def d R]: movd/movq d(xmm), s(gpr) (size 4|8). */
  MovToXmm: 48,
  /** [use s R, def d R]: movd/movq d(gpr), s(xmm). */
  MovFromXmm: 49,
  /** [use s A, def d R]: xorps d,d; cvtsi2ss/sd d, s. size = int size, sub = float size. */
  CvtSintToF: 50,
  /** [use s R, def d R]: u32 → float through r11 (zero-extended 64-bit convert). sub = float size. */
  CvtU32ToF: 51,
  /** [use s R, def d R, def t E]: u64 → float (halve-and-round-to-odd for values ≥ 2^63). sub = float size. */
  CvtU64ToF: 52,
  /**
   * [use s R, def d R]: float → int with wasm semantics; size = int size, imm = float size,
   * sub = CVT_* flags (signed, saturating). Trapping forms jump to sites aux (NaN: bad_conversion) and aux + 1
   * (out of range: int_ovf).
   */
  CvtFToInt: 53,

  // ---- control flow ----
  /** []: jmp to successor 0 (elided when it is the next block). */
  Jmp: 54,
  /** []: j<sub> successor 0, else successor 1 (sub may be a compound float condition). */
  JccJmp: 55,
  /** [use idx R, def a R, def t E]: a = address of the br_table target for idx (clamped to the default), table aux. */
  JtAddr: 56,
  /** [use a R]: jmp a; successors are the table's targets (default first). */
  JmpTable: 57,
  /** [uses F(result regs)…]: epilogue + ret. */
  Ret: 58,
  /** []: unconditional trap (the IR `trap` terminator): `call raise` in place, trap site aux. */
  Trap: 59,

  // ---- calls ----
  /**
   * Call. sub = CALL_DIRECT (aux = callee function index, a CallRel32 relocation), CALL_BUILTIN (aux = builtin id,
   * called through the vmctx builtins array; the vmctx must be argument 0, in rdi), CALL_INDIRECT (operand 0 = the
   * callee address, use R). Then uses F(arg regs)…, defs F(result regs)…; clobbers all caller-saved registers.
   */
  Call: 60,
  /** [use v R]: store an outgoing stack argument at [rsp + aux]; sub = StoreKind. */
  StoreOutgoing: 61,
  /** [def d R]: d = address of the caller's return area + aux (lea d, [rsp + outgoing + aux]). */
  LeaRetArea: 62,
  /** [def d R]: d = result loaded from the caller's return area + aux; sub = LoadKind. */
  LoadRetArea: 63,
} as const;
export type MOp = (typeof MOp)[keyof typeof MOp];

export const MOP_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, id] of Object.entries(MOp)) names[id] = name;
  return names;
})();

/** `sub` of CmpRR/CmpRI/CmpRM/CmpMI/CmpMR for `test` (AluOp.Cmp = 7 selects `cmp`). */
export const CMP_TEST = 8;

/** Call kinds (MOp.Call sub). */
export const CALL_DIRECT = 0;
export const CALL_BUILTIN = 1;
export const CALL_INDIRECT = 2;

/** CvtFToInt flags (sub). */
export const CVT_SIGNED = 1;
export const CVT_SAT = 2;

/** Loads (sub of Load / LoadIncoming / LoadRetArea). */
export const LoadKind = {
  I32: 0,
  I64: 1,
  U8: 2, // movzx r32, byte
  U16: 3,
  S8x32: 4, // movsx r32, byte
  S16x32: 5,
  S8x64: 6,
  S16x64: 7,
  S32x64: 8, // movsxd
  F32: 9,
  F64: 10,
} as const;
export type LoadKind = (typeof LoadKind)[keyof typeof LoadKind];
export const LOAD_KIND_NAMES = ['i32', 'i64', 'u8', 'u16', 's8', 's16', 's8.64', 's16.64', 's32.64', 'f32', 'f64'];

/** Stores (sub of Store / StoreOutgoing). */
export const StoreKind = { I8: 0, I16: 1, I32: 2, I64: 3, F32: 4, F64: 5 } as const;
export type StoreKind = (typeof StoreKind)[keyof typeof StoreKind];
export const STORE_KIND_NAMES = ['i8', 'i16', 'i32', 'i64', 'f32', 'f64'];

/** Register-to-register extensions (Movx sub). */
export const ExtendKind = { U8: 0, U16: 1, S8x32: 2, S16x32: 3, S8x64: 4, S16x64: 5, S32x64: 6 } as const;
export type ExtendKind = (typeof ExtendKind)[keyof typeof ExtendKind];
export const EXTEND_KIND_NAMES = ['zx8', 'zx16', 'sx8', 'sx16', 'sx8.64', 'sx16.64', 'sx32.64'];

/** 16-byte mask constants for XmmMaskOp (aux). */
export const MaskKind = { SignF32: 0, AbsF32: 1, SignF64: 2, AbsF64: 3 } as const;
export type MaskKind = (typeof MaskKind)[keyof typeof MaskKind];
export const MASK_KIND_NAMES = ['sign32', 'abs32', 'sign64', 'abs64'];

/** Memory-operand shapes (VCode.amKind). The register parts are the op's last operands (base, then index). */
export const AmKind = {
  None: 0,
  /** [base + disp] */
  Base: 1,
  /** [base + index << shift + disp] */
  BaseIndex: 2,
  /** [index << shift + disp] (no base) */
  Index: 3,
  /** [rip + constant] — amDisp is an index into the function's constant table. */
  Const: 4,
} as const;
export type AmKind = (typeof AmKind)[keyof typeof AmKind];

/** Number of register operands an address mode contributes. */
export function amodeRegCount(kind: number): number {
  return kind === AmKind.Base || kind === AmKind.Index ? 1 : kind === AmKind.BaseIndex ? 2 : 0;
}
