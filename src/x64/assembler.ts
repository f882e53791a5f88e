// The Assembler: one method per instruction shape, emitting bytes directly into a CodeBuffer.
//
// Conventions:
// - `size` is the operand width in bytes (1, 2, 4, 8). Registers are numbers (see registers.ts); memory operands
//   are Amodes; immediates are JS integers whose legal range depends on `size` (see checkImm).
// - Method suffixes name operand shapes in Intel order: RR = reg, reg; RM = reg, mem (load); MR = mem, reg (store or
//   read-modify-write); RI / MI = reg|mem, immediate.
// - The smallest correct encoding is chosen automatically: imm8 vs imm32, accumulator short forms, `mov r32, imm32`
//   for 64-bit values that fit unsigned 32 bits, disp0/disp8/disp32, shift-by-1.
// - Anything impossible throws X64EncodeError naming the instruction and operands; nothing is silently truncated.

import { Amode, type Label } from './amode.js';
import { CodeBuffer, RelocKind, type FinishedCode } from './code-buffer.js';
import { condName, type Cond } from './condition-codes.js';
import { emitImm, emitImm64, emitOp, emitOpReg, emitRM, emitRR, W } from './encoding.js';
import { X64EncodeError } from './errors.js';
import { writeNops } from './nops.js';
import {
  ALU_NAMES,
  BIT_NAMES,
  BIT_OPCODE,
  BIT_PREFIX,
  SHIFT_NAMES,
  SSE_COUNT,
  SSE_MEM_WIDTH,
  SSE_NAMES,
  SSE_OPCODE,
  SSE_PREFIX,
  SSE_STORE_OPCODE,
  UNARY_NAMES,
  type AluOp,
  type BitOp,
  type ShiftOp,
  type SseOp,
  type UnaryOp,
} from './opcodes.js';
import { describeOperand, Imm, type RegMem, type RegMemImm } from './operands.js';
import { RAX, regName, type Gpr, type OperandSize, type Xmm } from './registers.js';

// ---- validation (cheap checks on the hot path; message building only when they fail) ----

/** True unless r is an integer 0..15. */
function notGpr(r: number): boolean {
  return r !== (r & 15);
}

/** True unless r is an integer 16..31. */
function notXmm(r: number): boolean {
  const x = r - 16;
  return x !== (x & 15);
}

function validSize(size: number): boolean {
  return size === 1 || size === 2 || size === 4 || size === 8;
}

/** An 8-bit operand in encodings 4-7 means spl/bpl/sil/dil, which exist only with a REX prefix. */
function needsRex8(r: number): boolean {
  return r >= 4 && r <= 7;
}

/**
 * Range of an immediate for an operand of `size` bytes: 8/16/32-bit operands accept both signed and unsigned
 * spellings of their width (e.g. 0xffffffff or -1 for 32 bits); 64-bit operands take a sign-extended imm32.
 */
function immFits(size: number, v: number): boolean {
  if (!Number.isInteger(v)) return false;
  if (size === 1) return v >= -0x80 && v <= 0xff;
  if (size === 2) return v >= -0x8000 && v <= 0xffff;
  if (size === 4) return v >= -0x80000000 && v <= 0xffffffff;
  return v >= -0x80000000 && v <= 0x7fffffff;
}

/** The immediate as the signed value of its width (what a sign-extended imm8 must equal). */
function immSigned(size: number, v: number): number {
  if (size === 1) return (v << 24) >> 24;
  if (size === 2) return (v << 16) >> 16;
  return v | 0;
}

function isImm8(n: number): boolean {
  return n >= -128 && n <= 127;
}

function prefix16(size: number): number {
  return size === 2 ? 0x66 : 0;
}

function rexW(size: number): number {
  return size === 8 ? W : 0;
}

function op(o: RegMemImm, size: number): string {
  return describeOperand(o, size);
}

function text(mnemonic: string, ...operands: string[]): string {
  return operands.length === 0 ? mnemonic : `${mnemonic} ${operands.join(', ')}`;
}

function fail(instruction: string, reason: string): never {
  throw new X64EncodeError(instruction, reason);
}

function immRangeText(size: number): string {
  if (size === 8) return 'a sign-extended 32-bit immediate (-0x80000000..0x7fffffff); use movRI/movRI64 for 64-bit values';
  if (size === 4) return 'a 32-bit immediate (-0x80000000..0xffffffff)';
  if (size === 2) return 'a 16-bit immediate (-0x8000..0xffff)';
  return 'an 8-bit immediate (-0x80..0xff)';
}

const TWO_POW_32 = 4294967296;

export class Assembler {
  readonly buf: CodeBuffer;

  constructor(initialCapacity = 4096) {
    this.buf = new CodeBuffer(initialCapacity);
  }

  // ---- layout ----

  /** Provisional offset of the next instruction (see CodeBuffer about relaxation). */
  get offset(): number {
    return this.buf.pos;
  }

  newLabel(): Label {
    return this.buf.newLabel();
  }

  bind(label: Label): void {
    this.buf.bind(label);
  }

  /** Pads with multi-byte NOPs to a multiple of `alignment`. */
  align(alignment: number): void {
    this.buf.align(alignment);
  }

  /** Resolves branches, constants and fixups; the assembler cannot be used afterwards. */
  finish(): FinishedCode {
    return this.buf.finish();
  }

  // ---- constants (deduplicated; address them with ripRel(label)) ----

  constF32(bits: number): Label {
    return this.buf.constant(4, bits);
  }

  constF64(lo: number, hi: number): Label {
    return this.buf.constant(8, lo, hi);
  }

  const128(w0: number, w1: number, w2: number, w3: number): Label {
    return this.buf.constant(16, w0, w1, w2, w3);
  }

  /** f32 constant from a JS number (rounded to f32). Use constF32 with raw bits to keep a NaN payload. */
  constF32Value(x: number): Label {
    SCRATCH_F32[0] = x;
    return this.buf.constant(4, SCRATCH_U32[0]!);
  }

  /** f64 constant from a JS number. Use constF64 with raw bits to keep a NaN payload. */
  constF64Value(x: number): Label {
    SCRATCH_F64[0] = x;
    return this.buf.constant(8, SCRATCH_U32[0]!, SCRATCH_U32[1]!);
  }

  // ---- moves ----

  /** mov dst, src (register to register). */
  movRR(size: OperandSize, dst: Gpr, src: Gpr): void {
    if (!validSize(size) || notGpr(dst) || notGpr(src)) this.badRR('mov', size, dst, src);
    emitRR(this.buf, prefix16(size), rexW(size), size === 1 ? 0x88 : 0x89, 1, src, dst, size === 1 && (needsRex8(dst) || needsRex8(src)));
  }

  /** mov dst, [m] (load). */
  movRM(size: OperandSize, dst: Gpr, m: Amode): void {
    if (!validSize(size) || notGpr(dst) || !(m instanceof Amode)) this.badRM('mov', size, dst, m);
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0x8a : 0x8b, 1, dst, m, 0, size === 1 && needsRex8(dst));
  }

  /** mov [m], src (store). */
  movMR(size: OperandSize, m: Amode, src: Gpr): void {
    if (!validSize(size) || notGpr(src) || !(m instanceof Amode)) this.badMR('mov', size, m, src);
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0x88 : 0x89, 1, src, m, 0, size === 1 && needsRex8(src));
  }

  /**
   * mov dst, imm. For size 8 the value may be any safe integer (|v| < 2^53); use movRI64 for arbitrary 64-bit
   * patterns. The shortest form is chosen (see movRI64).
   */
  movRI(size: OperandSize, dst: Gpr, value: number): void {
    if (size === 8) {
      if (notGpr(dst) || !Number.isSafeInteger(value)) {
        fail(text('mov', op(dst, 8), String(value)), notGpr(dst) ? this.gprReason(dst) : 'a 64-bit immediate given as a number must be a safe integer; use movRI64(dst, lo, hi)');
      }
      const lo = value % TWO_POW_32 | 0;
      const hi = Math.floor(value / TWO_POW_32) | 0;
      this.movRI64(dst, lo, hi);
      return;
    }
    if (!validSize(size) || notGpr(dst) || !immFits(size, value)) this.badRI('mov', size, dst, value);
    const b = this.buf;
    if (size === 1) {
      emitOpReg(b, 0, 0, 0xb0, dst, needsRex8(dst));
      emitImm(b, value, 1);
    } else {
      emitOpReg(b, prefix16(size), 0, 0xb8, dst, false);
      emitImm(b, value, size);
    }
  }

  /**
   * mov r64, imm64 given as 32-bit halves. Picks `mov r32, imm32` when the value fits unsigned 32 bits (the write
   * zero-extends), else `mov r/m64, imm32` when it is a sign-extended imm32, else `movabs r64, imm64`.
   */
  movRI64(dst: Gpr, lo: number, hi: number): void {
    if (notGpr(dst)) fail(text('mov', op(dst, 8), `0x${(hi >>> 0).toString(16)}${(lo >>> 0).toString(16).padStart(8, '0')}`), this.gprReason(dst));
    const l = lo | 0;
    const h = hi | 0;
    const b = this.buf;
    if (h === 0) {
      emitOpReg(b, 0, 0, 0xb8, dst, false);
      emitImm(b, l, 4);
    } else if (h === l >> 31) {
      emitRR(b, 0, W, 0xc7, 1, 0, dst, false);
      emitImm(b, l, 4);
    } else {
      emitOpReg(b, 0, W, 0xb8, dst, false);
      emitImm64(b, l, h);
    }
  }

  /** movabs dst, imm64 whose value is patched at link time (relocation Abs64: S + addend). */
  movRI64Reloc(dst: Gpr, target: number, addend = 0): void {
    if (notGpr(dst)) fail(text('movabs', op(dst, 8), `<reloc ${String(target)}>`), this.gprReason(dst));
    const b = this.buf;
    emitOpReg(b, 0, W, 0xb8, dst, false);
    b.addRelocation(b.pos, RelocKind.Abs64, target, addend);
    emitImm64(b, 0, 0);
  }

  /** mov [m], imm (imm32 sign-extended for size 8). */
  movMI(size: OperandSize, m: Amode, value: number): void {
    if (!validSize(size) || !(m instanceof Amode) || !immFits(size, value)) this.badMI('mov', size, m, value);
    const n = size === 8 ? 4 : size;
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0xc6 : 0xc7, 1, 0, m, n, false);
    emitImm(this.buf, value, n);
  }

  /**
   * movzx dst, src: zero-extend an 8- or 16-bit register to dstSize (2, 4, 8). A 64-bit destination is encoded as
   * the 32-bit form, which already clears bits 32-63 and needs no REX.W. (32 -> 64 is a plain movRR(4, ...).)
   */
  movzxRR(srcSize: 1 | 2, dstSize: 2 | 4 | 8, dst: Gpr, src: Gpr): void {
    if (!this.extendSizesOk(srcSize, dstSize, false) || notGpr(dst) || notGpr(src)) this.badExtend('movzx', srcSize, dstSize, dst, src);
    emitRR(this.buf, prefix16(dstSize), 0, srcSize === 1 ? 0x0fb6 : 0x0fb7, 2, dst, src, srcSize === 1 && needsRex8(src));
  }

  movzxRM(srcSize: 1 | 2, dstSize: 2 | 4 | 8, dst: Gpr, m: Amode): void {
    if (!this.extendSizesOk(srcSize, dstSize, false) || notGpr(dst) || !(m instanceof Amode)) this.badExtend('movzx', srcSize, dstSize, dst, m);
    emitRM(this.buf, prefix16(dstSize), 0, srcSize === 1 ? 0x0fb6 : 0x0fb7, 2, dst, m, 0, false);
  }

  /** movsx/movsxd dst, src: sign-extend 8/16/32-bit to dstSize (2, 4, 8); 32 -> 64 is movsxd. */
  movsxRR(srcSize: 1 | 2 | 4, dstSize: 2 | 4 | 8, dst: Gpr, src: Gpr): void {
    if (!this.extendSizesOk(srcSize, dstSize, true) || notGpr(dst) || notGpr(src)) this.badExtend('movsx', srcSize, dstSize, dst, src);
    if (srcSize === 4) emitRR(this.buf, 0, W, 0x63, 1, dst, src, false);
    else emitRR(this.buf, prefix16(dstSize), rexW(dstSize), srcSize === 1 ? 0x0fbe : 0x0fbf, 2, dst, src, srcSize === 1 && needsRex8(src));
  }

  movsxRM(srcSize: 1 | 2 | 4, dstSize: 2 | 4 | 8, dst: Gpr, m: Amode): void {
    if (!this.extendSizesOk(srcSize, dstSize, true) || notGpr(dst) || !(m instanceof Amode)) this.badExtend('movsx', srcSize, dstSize, dst, m);
    if (srcSize === 4) emitRM(this.buf, 0, W, 0x63, 1, dst, m, 0, false);
    else emitRM(this.buf, prefix16(dstSize), rexW(dstSize), srcSize === 1 ? 0x0fbe : 0x0fbf, 2, dst, m, 0, false);
  }

  /** lea dst, [m] (size 2, 4 or 8: the width of the result). */
  lea(size: 2 | 4 | 8, dst: Gpr, m: Amode): void {
    if (!(size === 2 || size === 4 || size === 8) || notGpr(dst) || !(m instanceof Amode)) this.badRM('lea', size, dst, m, 'lea needs size 2, 4 or 8 and a memory operand');
    emitRM(this.buf, prefix16(size), rexW(size), 0x8d, 1, dst, m, 0, false);
  }

  /** xchg a, b (register form; 86/87 /r). */
  xchgRR(size: OperandSize, a: Gpr, b: Gpr): void {
    if (!validSize(size) || notGpr(a) || notGpr(b)) this.badRR('xchg', size, a, b);
    emitRR(this.buf, prefix16(size), rexW(size), size === 1 ? 0x86 : 0x87, 1, b, a, size === 1 && (needsRex8(a) || needsRex8(b)));
  }

  // ---- ALU: add/or/adc/sbb/and/sub/xor/cmp ----

  /** op dst, src */
  aluRR(aluOp: AluOp, size: OperandSize, dst: Gpr, src: Gpr): void {
    if (!validSize(size) || notGpr(dst) || notGpr(src) || !validAlu(aluOp)) this.badRR(aluName(aluOp), size, dst, src);
    emitRR(this.buf, prefix16(size), rexW(size), (aluOp << 3) | (size === 1 ? 0 : 1), 1, src, dst, size === 1 && (needsRex8(dst) || needsRex8(src)));
  }

  /** op dst, [m] (load-op). */
  aluRM(aluOp: AluOp, size: OperandSize, dst: Gpr, m: Amode): void {
    if (!validSize(size) || notGpr(dst) || !(m instanceof Amode) || !validAlu(aluOp)) this.badRM(aluName(aluOp), size, dst, m);
    emitRM(this.buf, prefix16(size), rexW(size), (aluOp << 3) | (size === 1 ? 2 : 3), 1, dst, m, 0, size === 1 && needsRex8(dst));
  }

  /** op [m], src (read-modify-write; for cmp a compare with memory on the left). */
  aluMR(aluOp: AluOp, size: OperandSize, m: Amode, src: Gpr): void {
    if (!validSize(size) || notGpr(src) || !(m instanceof Amode) || !validAlu(aluOp)) this.badMR(aluName(aluOp), size, m, src);
    emitRM(this.buf, prefix16(size), rexW(size), (aluOp << 3) | (size === 1 ? 0 : 1), 1, src, m, 0, size === 1 && needsRex8(src));
  }

  /** op dst, imm: imm8 (sign-extended) when it fits, else the accumulator short form for rax, else imm16/32. */
  aluRI(aluOp: AluOp, size: OperandSize, dst: Gpr, value: number): void {
    if (!validSize(size) || notGpr(dst) || !immFits(size, value) || !validAlu(aluOp)) this.badRI(aluName(aluOp), size, dst, value);
    const b = this.buf;
    if (size === 1) {
      if (dst === RAX) emitOp(b, 0, 0, (aluOp << 3) | 4, 1);
      else emitRR(b, 0, 0, 0x80, 1, aluOp, dst, needsRex8(dst));
      emitImm(b, value, 1);
      return;
    }
    const n = immSigned(size, value);
    if (isImm8(n)) {
      emitRR(b, prefix16(size), rexW(size), 0x83, 1, aluOp, dst, false);
      emitImm(b, n, 1);
    } else {
      if (dst === RAX) emitOp(b, prefix16(size), rexW(size), (aluOp << 3) | 5, 1);
      else emitRR(b, prefix16(size), rexW(size), 0x81, 1, aluOp, dst, false);
      emitImm(b, n, size === 2 ? 2 : 4);
    }
  }

  /** op [m], imm (read-modify-write, or `cmp [m], imm`). */
  aluMI(aluOp: AluOp, size: OperandSize, m: Amode, value: number): void {
    if (!validSize(size) || !(m instanceof Amode) || !immFits(size, value) || !validAlu(aluOp)) this.badMI(aluName(aluOp), size, m, value);
    const b = this.buf;
    if (size === 1) {
      emitRM(b, 0, 0, 0x80, 1, aluOp, m, 1, false);
      emitImm(b, value, 1);
      return;
    }
    const n = immSigned(size, value);
    if (isImm8(n)) {
      emitRM(b, prefix16(size), rexW(size), 0x83, 1, aluOp, m, 1, false);
      emitImm(b, n, 1);
    } else {
      const nb = size === 2 ? 2 : 4;
      emitRM(b, prefix16(size), rexW(size), 0x81, 1, aluOp, m, nb, false);
      emitImm(b, n, nb);
    }
  }

  // ---- test ----

  testRR(size: OperandSize, a: Gpr, b: Gpr): void {
    if (!validSize(size) || notGpr(a) || notGpr(b)) this.badRR('test', size, a, b);
    emitRR(this.buf, prefix16(size), rexW(size), size === 1 ? 0x84 : 0x85, 1, b, a, size === 1 && (needsRex8(a) || needsRex8(b)));
  }

  /** test r, imm (there is no imm8 form; rax gets the short A8/A9 form). */
  testRI(size: OperandSize, r: Gpr, value: number): void {
    if (!validSize(size) || notGpr(r) || !immFits(size, value)) this.badRI('test', size, r, value);
    const b = this.buf;
    const nb = size === 8 ? 4 : size;
    if (r === RAX) emitOp(b, prefix16(size), rexW(size), size === 1 ? 0xa8 : 0xa9, 1);
    else emitRR(b, prefix16(size), rexW(size), size === 1 ? 0xf6 : 0xf7, 1, 0, r, size === 1 && needsRex8(r));
    emitImm(b, value, nb);
  }

  testMI(size: OperandSize, m: Amode, value: number): void {
    if (!validSize(size) || !(m instanceof Amode) || !immFits(size, value)) this.badMI('test', size, m, value);
    const nb = size === 8 ? 4 : size;
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0xf6 : 0xf7, 1, 0, m, nb, false);
    emitImm(this.buf, value, nb);
  }

  testMR(size: OperandSize, m: Amode, r: Gpr): void {
    if (!validSize(size) || notGpr(r) || !(m instanceof Amode)) this.badMR('test', size, m, r);
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0x84 : 0x85, 1, r, m, 0, size === 1 && needsRex8(r));
  }

  // ---- multiply / divide / unary ----

  /** imul dst, src (2-operand; sizes 2, 4, 8). */
  imulRR(size: 2 | 4 | 8, dst: Gpr, src: Gpr): void {
    if (!(size === 2 || size === 4 || size === 8) || notGpr(dst) || notGpr(src)) this.badRR('imul', size, dst, src, 'two-operand imul has no 8-bit form');
    emitRR(this.buf, prefix16(size), rexW(size), 0x0faf, 2, dst, src, false);
  }

  imulRM(size: 2 | 4 | 8, dst: Gpr, m: Amode): void {
    if (!(size === 2 || size === 4 || size === 8) || notGpr(dst) || !(m instanceof Amode)) this.badRM('imul', size, dst, m, 'two-operand imul has no 8-bit form');
    emitRM(this.buf, prefix16(size), rexW(size), 0x0faf, 2, dst, m, 0, false);
  }

  /** imul dst, src, imm (imm8 when it fits, else imm16/32). */
  imulRRI(size: 2 | 4 | 8, dst: Gpr, src: Gpr, value: number): void {
    if (!(size === 2 || size === 4 || size === 8) || notGpr(dst) || notGpr(src) || !immFits(size, value)) {
      fail(text('imul', op(dst, size), op(src, size), String(value)), this.sizeOrOperandReason(size, [dst, src], value, false));
    }
    const n = immSigned(size, value);
    const short = isImm8(n);
    emitRR(this.buf, prefix16(size), rexW(size), short ? 0x6b : 0x69, 1, dst, src, false);
    emitImm(this.buf, n, short ? 1 : size === 2 ? 2 : 4);
  }

  imulRMI(size: 2 | 4 | 8, dst: Gpr, m: Amode, value: number): void {
    if (!(size === 2 || size === 4 || size === 8) || notGpr(dst) || !(m instanceof Amode) || !immFits(size, value)) {
      fail(text('imul', op(dst, size), op(m, size), String(value)), this.sizeOrOperandReason(size, [dst], value, false));
    }
    const n = immSigned(size, value);
    const nb = isImm8(n) ? 1 : size === 2 ? 2 : 4;
    emitRM(this.buf, prefix16(size), rexW(size), nb === 1 ? 0x6b : 0x69, 1, dst, m, nb, false);
    emitImm(this.buf, n, nb);
  }

  /** not/neg/mul/imul/div/idiv r (mul..idiv use rdx:rax implicitly). */
  unaryR(unaryOp: UnaryOp, size: OperandSize, r: Gpr): void {
    if (!validSize(size) || notGpr(r) || !validUnary(unaryOp)) this.badR(UNARY_NAMES[unaryOp] ?? 'unary', size, r, validUnary(unaryOp) ? undefined : `bad unary op ${String(unaryOp)}`);
    emitRR(this.buf, prefix16(size), rexW(size), size === 1 ? 0xf6 : 0xf7, 1, unaryOp, r, size === 1 && needsRex8(r));
  }

  unaryM(unaryOp: UnaryOp, size: OperandSize, m: Amode): void {
    if (!validSize(size) || !(m instanceof Amode) || !validUnary(unaryOp)) this.badM(UNARY_NAMES[unaryOp] ?? 'unary', size, m, validUnary(unaryOp) ? undefined : `bad unary op ${String(unaryOp)}`);
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0xf6 : 0xf7, 1, unaryOp, m, 0, false);
  }

  // ---- shifts and rotates ----

  /** shl/shr/sar/rol/ror r, count (0 <= count < bits); count 1 uses the shorter D0/D1 form. */
  shiftRI(shiftOp: ShiftOp, size: OperandSize, r: Gpr, count: number): void {
    if (!validSize(size) || notGpr(r) || !validShift(shiftOp) || !(Number.isInteger(count) && count >= 0 && count < size * 8)) {
      this.badShift(shiftOp, size, r, count);
    }
    const b = this.buf;
    const force = size === 1 && needsRex8(r);
    if (count === 1) {
      emitRR(b, prefix16(size), rexW(size), size === 1 ? 0xd0 : 0xd1, 1, shiftOp, r, force);
    } else {
      emitRR(b, prefix16(size), rexW(size), size === 1 ? 0xc0 : 0xc1, 1, shiftOp, r, force);
      emitImm(b, count, 1);
    }
  }

  /** shift r, cl */
  shiftRCl(shiftOp: ShiftOp, size: OperandSize, r: Gpr): void {
    if (!validSize(size) || notGpr(r) || !validShift(shiftOp)) this.badShift(shiftOp, size, r, 'cl');
    emitRR(this.buf, prefix16(size), rexW(size), size === 1 ? 0xd2 : 0xd3, 1, shiftOp, r, size === 1 && needsRex8(r));
  }

  shiftMI(shiftOp: ShiftOp, size: OperandSize, m: Amode, count: number): void {
    if (!validSize(size) || !(m instanceof Amode) || !validShift(shiftOp) || !(Number.isInteger(count) && count >= 0 && count < size * 8)) {
      this.badShift(shiftOp, size, m, count);
    }
    const b = this.buf;
    if (count === 1) {
      emitRM(b, prefix16(size), rexW(size), size === 1 ? 0xd0 : 0xd1, 1, shiftOp, m, 0, false);
    } else {
      emitRM(b, prefix16(size), rexW(size), size === 1 ? 0xc0 : 0xc1, 1, shiftOp, m, 1, false);
      emitImm(b, count, 1);
    }
  }

  shiftMCl(shiftOp: ShiftOp, size: OperandSize, m: Amode): void {
    if (!validSize(size) || !(m instanceof Amode) || !validShift(shiftOp)) this.badShift(shiftOp, size, m, 'cl');
    emitRM(this.buf, prefix16(size), rexW(size), size === 1 ? 0xd2 : 0xd3, 1, shiftOp, m, 0, false);
  }

  // ---- flags consumers ----

  /** set<cond> r8 (writes the low byte only). */
  setcc(cond: Cond, r: Gpr): void {
    if (!validCond(cond) || notGpr(r)) fail(text(`set${condName(cond)}`, op(r, 1)), validCond(cond) ? this.gprReason(r) : `bad condition ${String(cond)}`);
    emitRR(this.buf, 0, 0, 0x0f90 | cond, 2, 0, r, needsRex8(r));
  }

  /** cmov<cond> dst, src (sizes 2, 4, 8). */
  cmovRR(cond: Cond, size: 2 | 4 | 8, dst: Gpr, src: Gpr): void {
    if (!validCond(cond) || !(size === 2 || size === 4 || size === 8) || notGpr(dst) || notGpr(src)) {
      this.badRR(`cmov${condName(cond)}`, size, dst, src, validCond(cond) ? 'cmov has no 8-bit form' : `bad condition ${String(cond)}`);
    }
    emitRR(this.buf, prefix16(size), rexW(size), 0x0f40 | cond, 2, dst, src, false);
  }

  cmovRM(cond: Cond, size: 2 | 4 | 8, dst: Gpr, m: Amode): void {
    if (!validCond(cond) || !(size === 2 || size === 4 || size === 8) || notGpr(dst) || !(m instanceof Amode)) {
      this.badRM(`cmov${condName(cond)}`, size, dst, m, validCond(cond) ? 'cmov has no 8-bit form' : `bad condition ${String(cond)}`);
    }
    emitRM(this.buf, prefix16(size), rexW(size), 0x0f40 | cond, 2, dst, m, 0, false);
  }

  /** cwd: sign-extend ax into dx. */
  cwd(): void {
    emitOp(this.buf, 0x66, 0, 0x99, 1);
  }

  /** cdq: sign-extend eax into edx (before 32-bit idiv). */
  cdq(): void {
    emitOp(this.buf, 0, 0, 0x99, 1);
  }

  /** cqo: sign-extend rax into rdx (before 64-bit idiv). */
  cqo(): void {
    emitOp(this.buf, 0, W, 0x99, 1);
  }

  // ---- bit counting ----

  /** popcnt/lzcnt/tzcnt/bsf/bsr dst, src (sizes 2, 4, 8). */
  bitRR(bitOp: BitOp, size: 2 | 4 | 8, dst: Gpr, src: Gpr): void {
    if (!validBitOp(bitOp) || !(size === 2 || size === 4 || size === 8) || notGpr(dst) || notGpr(src)) {
      this.badRR(BIT_NAMES[bitOp] ?? 'bit op', size, dst, src, validBitOp(bitOp) ? 'bit counting has no 8-bit form' : `bad bit op ${String(bitOp)}`);
    }
    emitRR(this.buf, bitPrefixes(size, bitOp), rexW(size), BIT_OPCODE[bitOp]!, 2, dst, src, false);
  }

  bitRM(bitOp: BitOp, size: 2 | 4 | 8, dst: Gpr, m: Amode): void {
    if (!validBitOp(bitOp) || !(size === 2 || size === 4 || size === 8) || notGpr(dst) || !(m instanceof Amode)) {
      this.badRM(BIT_NAMES[bitOp] ?? 'bit op', size, dst, m, validBitOp(bitOp) ? 'bit counting has no 8-bit form' : `bad bit op ${String(bitOp)}`);
    }
    emitRM(this.buf, bitPrefixes(size, bitOp), rexW(size), BIT_OPCODE[bitOp]!, 2, dst, m, 0, false);
  }

  // ---- stack, misc ----

  push(r: Gpr): void {
    if (notGpr(r)) this.badR('push', 8, r);
    emitOpReg(this.buf, 0, 0, 0x50, r, false);
  }

  pop(r: Gpr): void {
    if (notGpr(r)) this.badR('pop', 8, r);
    emitOpReg(this.buf, 0, 0, 0x58, r, false);
  }

  ret(): void {
    emitOp(this.buf, 0, 0, 0xc3, 1);
  }

  ud2(): void {
    emitOp(this.buf, 0, 0, 0x0f0b, 2);
  }

  int3(): void {
    emitOp(this.buf, 0, 0, 0xcc, 1);
  }

  /** `length` bytes of NOPs in as few instructions as possible (9 bytes each at most). */
  nop(length = 1): void {
    if (!(Number.isInteger(length) && length >= 0 && length <= 4096)) fail(`nop ${String(length)}`, 'length must be an integer 0..4096');
    this.buf.ensure(length);
    this.buf.pos = writeNops(this.buf.bytes, this.buf.pos, length);
  }

  // ---- control flow ----

  /** jmp label (rel8 or rel32, decided at finish()). */
  jmp(label: Label): void {
    this.buf.branch(-1, label);
  }

  /** j<cond> label (rel8 or rel32, decided at finish()). */
  jcc(cond: Cond, label: Label): void {
    if (!validCond(cond)) fail(`j${condName(cond)} L${String(label)}`, `bad condition ${String(cond)}`);
    this.buf.branch(cond, label);
  }

  /** call label (rel32 within this buffer). */
  call(label: Label): void {
    const b = this.buf;
    emitOp(b, 0, 0, 0xe8, 1);
    b.addLabelRel32(b.pos, label, 0, 0, 'call');
    emitImm(b, 0, 4);
  }

  /** call rel32 to an external target, recorded as a CallRel32 relocation (addend -4) for the linker. */
  callExternal(target: number): void {
    const b = this.buf;
    emitOp(b, 0, 0, 0xe8, 1);
    b.addRelocation(b.pos, RelocKind.CallRel32, target, -4);
    emitImm(b, 0, 4);
  }

  callR(r: Gpr): void {
    if (notGpr(r)) this.badR('call', 8, r);
    emitRR(this.buf, 0, 0, 0xff, 1, 2, r, false);
  }

  callM(m: Amode): void {
    if (!(m instanceof Amode)) this.badM('call', 8, m);
    emitRM(this.buf, 0, 0, 0xff, 1, 2, m, 0, false);
  }

  jmpR(r: Gpr): void {
    if (notGpr(r)) this.badR('jmp', 8, r);
    emitRR(this.buf, 0, 0, 0xff, 1, 4, r, false);
  }

  jmpM(m: Amode): void {
    if (!(m instanceof Amode)) this.badM('jmp', 8, m);
    emitRM(this.buf, 0, 0, 0xff, 1, 4, m, 0, false);
  }

  /** A 4-byte jump-table entry: offset(target) - offset(tableBase). */
  jumpTableEntry(target: Label, tableBase: Label): void {
    this.buf.jumpTableEntry(target, tableBase);
  }

  // ---- SSE ----

  /** SSE op dst, src (xmm, xmm): moves, scalar arithmetic, ucomis, conversions between ss/sd, logic. */
  xmmRR(sseOp: SseOp, dst: Xmm, src: Xmm): void {
    if (!validSse(sseOp) || notXmm(dst) || notXmm(src)) this.badXmm(sseOp, op(dst, 16), op(src, 16), [dst, src]);
    emitRR(this.buf, SSE_PREFIX[sseOp]!, 0, SSE_OPCODE[sseOp]!, 2, dst, src, false);
  }

  /** SSE op dst, [m] (load or load-op; packed forms need 16-byte alignment except movups/movupd/movdqu). */
  xmmRM(sseOp: SseOp, dst: Xmm, m: Amode): void {
    if (!validSse(sseOp) || notXmm(dst) || !(m instanceof Amode)) this.badXmm(sseOp, op(dst, 16), op(m, SSE_MEM_WIDTH[sseOp] ?? 16), [dst]);
    emitRM(this.buf, SSE_PREFIX[sseOp]!, 0, SSE_OPCODE[sseOp]!, 2, dst, m, 0, false);
  }

  /** Store form of an SSE move: movss/movsd/movaps/movapd/movups/movupd/movdqa/movdqu [m], src. */
  xmmMR(sseOp: SseOp, m: Amode, src: Xmm): void {
    if (!validSse(sseOp) || notXmm(src) || !(m instanceof Amode) || SSE_STORE_OPCODE[sseOp] === 0) {
      const reason = validSse(sseOp) && SSE_STORE_OPCODE[sseOp] === 0 ? `${SSE_NAMES[sseOp]!} has no store form` : undefined;
      this.badXmm(sseOp, op(m, SSE_MEM_WIDTH[sseOp] ?? 16), op(src, 16), [src], reason);
    }
    emitRM(this.buf, SSE_PREFIX[sseOp]!, 0, SSE_STORE_OPCODE[sseOp]!, 2, src, m, 0, false);
  }

  /** movd/movq xmm, r32/r64 (size 4 or 8). */
  movdToXmm(size: 4 | 8, dst: Xmm, src: Gpr): void {
    if (!(size === 4 || size === 8) || notXmm(dst) || notGpr(src)) {
      fail(text(size === 8 ? 'movq' : 'movd', op(dst, 16), op(src, size)), this.mixedReason(size, dst, src, 'movd/movq needs size 4 or 8, an xmm destination and a general-purpose source'));
    }
    emitRR(this.buf, 0x66, rexW(size), 0x0f6e, 2, dst, src, false);
  }

  /** movd/movq r32/r64, xmm (size 4 or 8). */
  movdFromXmm(size: 4 | 8, dst: Gpr, src: Xmm): void {
    if (!(size === 4 || size === 8) || notGpr(dst) || notXmm(src)) {
      fail(text(size === 8 ? 'movq' : 'movd', op(dst, size), op(src, 16)), this.mixedReason(size, src, dst, 'movd/movq needs size 4 or 8, a general-purpose destination and an xmm source'));
    }
    emitRR(this.buf, 0x66, rexW(size), 0x0f7e, 2, src, dst, false);
  }

  /** cvtsi2ss/cvtsi2sd xmm, r32/r64: floatSize 4 (ss) or 8 (sd), intSize 4 or 8. */
  cvtsi2fpRR(floatSize: 4 | 8, intSize: 4 | 8, dst: Xmm, src: Gpr): void {
    if (!cvtSizesOk(floatSize, intSize) || notXmm(dst) || notGpr(src)) {
      fail(text(`cvtsi2s${fpSuffix(floatSize)}`, op(dst, 16), op(src, intSize)), this.mixedReason(intSize, dst, src, 'needs float size 4|8, int size 4|8, an xmm destination and a general-purpose source'));
    }
    emitRR(this.buf, floatSize === 4 ? 0xf3 : 0xf2, rexW(intSize), 0x0f2a, 2, dst, src, false);
  }

  cvtsi2fpRM(floatSize: 4 | 8, intSize: 4 | 8, dst: Xmm, m: Amode): void {
    if (!cvtSizesOk(floatSize, intSize) || notXmm(dst) || !(m instanceof Amode)) {
      fail(text(`cvtsi2s${fpSuffix(floatSize)}`, op(dst, 16), op(m, intSize)), 'needs float size 4|8, int size 4|8, an xmm destination and a memory source');
    }
    emitRM(this.buf, floatSize === 4 ? 0xf3 : 0xf2, rexW(intSize), 0x0f2a, 2, dst, m, 0, false);
  }

  /** cvttss2si/cvttsd2si r32/r64, xmm (truncating). */
  cvttfp2siRR(floatSize: 4 | 8, intSize: 4 | 8, dst: Gpr, src: Xmm): void {
    if (!cvtSizesOk(floatSize, intSize) || notGpr(dst) || notXmm(src)) {
      fail(text(`cvtts${fpSuffix(floatSize)}2si`, op(dst, intSize), op(src, 16)), this.mixedReason(intSize, src, dst, 'needs float size 4|8, int size 4|8, a general-purpose destination and an xmm source'));
    }
    emitRR(this.buf, floatSize === 4 ? 0xf3 : 0xf2, rexW(intSize), 0x0f2c, 2, dst, src, false);
  }

  cvttfp2siRM(floatSize: 4 | 8, intSize: 4 | 8, dst: Gpr, m: Amode): void {
    if (!cvtSizesOk(floatSize, intSize) || notGpr(dst) || !(m instanceof Amode)) {
      fail(text(`cvtts${fpSuffix(floatSize)}2si`, op(dst, intSize), op(m, floatSize)), 'needs float size 4|8, int size 4|8, a general-purpose destination and a memory source');
    }
    emitRM(this.buf, floatSize === 4 ? 0xf3 : 0xf2, rexW(intSize), 0x0f2c, 2, dst, m, 0, false);
  }

  /** roundss/roundsd dst, src, mode (SSE4.1; see RoundMode). */
  roundRR(floatSize: 4 | 8, dst: Xmm, src: Xmm, mode: number): void {
    if (!(floatSize === 4 || floatSize === 8) || notXmm(dst) || notXmm(src) || !validRoundMode(mode)) {
      fail(text(`rounds${fpSuffix(floatSize)}`, op(dst, 16), op(src, 16), String(mode)), 'needs float size 4|8, xmm operands and a mode 0..15');
    }
    emitRR(this.buf, 0x66, 0, floatSize === 4 ? 0x0f3a0a : 0x0f3a0b, 3, dst, src, false);
    emitImm(this.buf, mode, 1);
  }

  roundRM(floatSize: 4 | 8, dst: Xmm, m: Amode, mode: number): void {
    if (!(floatSize === 4 || floatSize === 8) || notXmm(dst) || !(m instanceof Amode) || !validRoundMode(mode)) {
      fail(text(`rounds${fpSuffix(floatSize)}`, op(dst, 16), op(m, floatSize), String(mode)), 'needs float size 4|8, an xmm destination, a memory source and a mode 0..15');
    }
    emitRM(this.buf, 0x66, 0, floatSize === 4 ? 0x0f3a0a : 0x0f3a0b, 3, dst, m, 1, false);
    emitImm(this.buf, mode, 1);
  }

  // ---- generic entry points over operand unions (dispatch to the shape methods) ----

  /** mov dst, src for any legal combination of register, memory and immediate. */
  mov(size: OperandSize, dst: RegMem, src: RegMemImm): void {
    if (typeof dst === 'number') {
      if (typeof src === 'number') this.movRR(size, dst, src);
      else if (src instanceof Amode) this.movRM(size, dst, src);
      else if (src instanceof Imm) this.movRI(size, dst, src.value);
      else this.badGeneric('mov', size, dst, src);
    } else if (dst instanceof Amode) {
      if (typeof src === 'number') this.movMR(size, dst, src);
      else if (src instanceof Imm) this.movMI(size, dst, src.value);
      else this.badGeneric('mov', size, dst, src);
    } else this.badGeneric('mov', size, dst, src);
  }

  /** add/or/adc/sbb/and/sub/xor/cmp dst, src for any legal operand combination. */
  alu(aluOp: AluOp, size: OperandSize, dst: RegMem, src: RegMemImm): void {
    if (typeof dst === 'number') {
      if (typeof src === 'number') this.aluRR(aluOp, size, dst, src);
      else if (src instanceof Amode) this.aluRM(aluOp, size, dst, src);
      else if (src instanceof Imm) this.aluRI(aluOp, size, dst, src.value);
      else this.badGeneric(aluName(aluOp), size, dst, src);
    } else if (dst instanceof Amode) {
      if (typeof src === 'number') this.aluMR(aluOp, size, dst, src);
      else if (src instanceof Imm) this.aluMI(aluOp, size, dst, src.value);
      else this.badGeneric(aluName(aluOp), size, dst, src);
    } else this.badGeneric(aluName(aluOp), size, dst, src);
  }

  /** test a, b for any legal operand combination (test [m], r and test r, [m] are the same instruction). */
  test(size: OperandSize, a: RegMem, b: RegMemImm): void {
    if (typeof a === 'number') {
      if (typeof b === 'number') this.testRR(size, a, b);
      else if (b instanceof Amode) this.testMR(size, b, a);
      else if (b instanceof Imm) this.testRI(size, a, b.value);
      else this.badGeneric('test', size, a, b);
    } else if (a instanceof Amode) {
      if (typeof b === 'number') this.testMR(size, a, b);
      else if (b instanceof Imm) this.testMI(size, a, b.value);
      else this.badGeneric('test', size, a, b);
    } else this.badGeneric('test', size, a, b);
  }

  // ---- error reporting (cold) ----

  private gprReason(r: number): string {
    return `expected a general-purpose register (0..15), got ${regName(r)}`;
  }

  private regReasons(regs: number[]): string | undefined {
    for (const r of regs) if (notGpr(r)) return this.gprReason(r);
    return undefined;
  }

  private sizeReason(size: number): string | undefined {
    return validSize(size) ? undefined : `operand size must be 1, 2, 4 or 8 bytes (got ${String(size)})`;
  }

  private sizeOrOperandReason(size: number, regs: number[], value: number, allowByte: boolean): string {
    if (!allowByte && size === 1) return 'this instruction has no 8-bit form';
    return this.sizeReason(size) ?? this.regReasons(regs) ?? `${String(value)} does not fit ${immRangeText(size)}`;
  }

  private mixedReason(size: number, x: number, g: number, fallback: string): string {
    if (notXmm(x)) return `expected an xmm register, got ${regName(x, size)}`;
    if (notGpr(g)) return this.gprReason(g);
    return fallback;
  }

  private badR(mnemonic: string, size: number, r: number, reason?: string): never {
    fail(text(mnemonic, op(r, size)), reason ?? this.sizeReason(size) ?? this.gprReason(r));
  }

  private badM(mnemonic: string, size: number, m: unknown, reason?: string): never {
    fail(text(mnemonic, op(m as Amode, size)), reason ?? this.sizeReason(size) ?? 'expected a memory operand (Amode)');
  }

  private badRR(mnemonic: string, size: number, a: number, b: number, sizeReason?: string): never {
    const reason = (validSize(size) ? undefined : sizeReason) ?? this.sizeReason(size) ?? this.regReasons([a, b]) ?? sizeReason ?? 'invalid operands';
    fail(text(mnemonic, op(a, size), op(b, size)), reason);
  }

  private badRM(mnemonic: string, size: number, r: number, m: unknown, sizeReason?: string): never {
    const memReason = m instanceof Amode ? undefined : 'expected a memory operand (Amode)';
    const reason = this.sizeReason(size) ?? this.regReasons([r]) ?? memReason ?? sizeReason ?? 'invalid operands';
    fail(text(mnemonic, op(r, size), op(m as Amode, size)), reason);
  }

  private badMR(mnemonic: string, size: number, m: unknown, r: number): never {
    const memReason = m instanceof Amode ? undefined : 'expected a memory operand (Amode)';
    fail(text(mnemonic, op(m as Amode, size), op(r, size)), this.sizeReason(size) ?? this.regReasons([r]) ?? memReason ?? 'invalid operands');
  }

  private badRI(mnemonic: string, size: number, r: number, value: number): never {
    fail(text(mnemonic, op(r, size), String(value)), this.sizeReason(size) ?? this.regReasons([r]) ?? `${String(value)} does not fit ${immRangeText(size)}`);
  }

  private badMI(mnemonic: string, size: number, m: unknown, value: number): never {
    const memReason = m instanceof Amode ? undefined : 'expected a memory operand (Amode)';
    fail(text(mnemonic, op(m as Amode, size), String(value)), this.sizeReason(size) ?? memReason ?? `${String(value)} does not fit ${immRangeText(size)}`);
  }

  private badExtend(mnemonic: string, srcSize: number, dstSize: number, dst: number, src: number | Amode): never {
    let reason = this.regReasons(typeof src === 'number' ? [dst, src] : [dst]);
    if (!this.extendSizesOk(srcSize, dstSize, mnemonic === 'movsx')) {
      reason =
        srcSize === 4 && mnemonic === 'movzx'
          ? 'there is no 32-to-64 movzx: a 32-bit mov (movRR(4, ...)) already zero-extends'
          : `cannot extend from ${String(srcSize)} to ${String(dstSize)} bytes`;
    }
    fail(text(mnemonic, op(dst, dstSize), op(src, srcSize)), reason ?? 'invalid operands');
  }

  private badShift(shiftOp: number, size: number, dst: number | Amode, count: number | 'cl'): never {
    const name = SHIFT_NAMES[shiftOp] ?? 'shift';
    const reason =
      (validShift(shiftOp) ? undefined : `bad shift op ${String(shiftOp)}`) ??
      this.sizeReason(size) ??
      (typeof dst === 'number' ? this.regReasons([dst]) : undefined) ??
      `shift count ${String(count)} must be an integer 0..${String(size * 8 - 1)}`;
    fail(text(name, op(dst, size), String(count)), reason);
  }

  private badXmm(sseOp: number, a: string, b: string, xmms: number[], reason?: string): never {
    const name = SSE_NAMES[sseOp] ?? `sse op ${String(sseOp)}`;
    let why = reason;
    if (why === undefined && !validSse(sseOp)) why = `bad SSE op ${String(sseOp)}`;
    if (why === undefined) for (const x of xmms) if (notXmm(x)) why ??= `expected an xmm register, got ${regName(x)}`;
    fail(text(name, a, b), why ?? 'expected a memory operand (Amode)');
  }

  private badGeneric(mnemonic: string, size: number, dst: unknown, src: unknown): never {
    const d = describeOperand(dst as RegMemImm, size);
    const s = describeOperand(src as RegMemImm, size);
    let reason = 'unsupported operand combination';
    if (dst instanceof Amode && src instanceof Amode) reason = 'memory-to-memory operands are not encodable';
    else if (dst instanceof Imm) reason = 'the destination cannot be an immediate';
    fail(text(mnemonic, d, s), reason);
  }

  private extendSizesOk(srcSize: number, dstSize: number, signed: boolean): boolean {
    if (srcSize === 1) return dstSize === 2 || dstSize === 4 || dstSize === 8;
    if (srcSize === 2) return dstSize === 4 || dstSize === 8;
    return signed && srcSize === 4 && dstSize === 8;
  }
}

const SCRATCH = new ArrayBuffer(8);
const SCRATCH_F32 = new Float32Array(SCRATCH);
const SCRATCH_F64 = new Float64Array(SCRATCH);
const SCRATCH_U32 = new Uint32Array(SCRATCH);

function validAlu(o: number): boolean {
  return o === (o & 7);
}
function aluName(o: number): string {
  return ALU_NAMES[o] ?? `<bad alu op ${String(o)}>`;
}
function validUnary(o: number): boolean {
  return o >= 2 && o <= 7 && o === (o | 0);
}
function validShift(o: number): boolean {
  return o === 0 || o === 1 || o === 4 || o === 5 || o === 7;
}
function validBitOp(o: number): boolean {
  return o >= 0 && o <= 4 && o === (o | 0);
}
function validSse(o: number): boolean {
  return o >= 0 && o < SSE_COUNT && o === (o | 0);
}
function validCond(c: number): boolean {
  return c === (c & 15);
}
function validRoundMode(m: number): boolean {
  return m === (m & 15);
}
function cvtSizesOk(floatSize: number, intSize: number): boolean {
  return (floatSize === 4 || floatSize === 8) && (intSize === 4 || intSize === 8);
}
/** 66 (16-bit operand) goes before a mandatory F3, which must be the last prefix before REX/opcode. */
function bitPrefixes(size: number, bitOp: number): number {
  const mandatory = BIT_PREFIX[bitOp]!;
  if (size !== 2) return mandatory;
  return mandatory === 0 ? 0x66 : 0x6600 | mandatory;
}
function fpSuffix(floatSize: number): string {
  return floatSize === 4 ? 's' : 'd';
}
