// The tests' own renderer of intended instructions in capstone's Intel syntax, and an independent length model.
// Nothing here reads the encoder's tables: names come from the test's own lists (or the *keys* of the public op
// enums), so a wrong encoding cannot agree with itself.

export const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
export const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
export const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
export const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];

export function gp(r: number, size: number): string {
  const table = size === 1 ? R8 : size === 2 ? R16 : size === 4 ? R32 : R64;
  const name = table[r];
  if (name === undefined) throw new Error(`test formatter: bad gpr ${r}`);
  return name;
}

/** XMM registers are 16..31 in the public API. */
export function xm(x: number): string {
  return `xmm${x - 16}`;
}

export function ptr(size: number): string {
  switch (size) {
    case 1:
      return 'byte ptr ';
    case 2:
      return 'word ptr ';
    case 4:
      return 'dword ptr ';
    case 8:
      return 'qword ptr ';
    case 16:
      return 'xmmword ptr ';
    default:
      throw new Error(`test formatter: bad memory size ${size}`);
  }
}

/** Capstone prints 0..9 in decimal and larger magnitudes in hex. */
function magnitude(n: number): string {
  return n <= 9 ? String(n) : `0x${n.toString(16)}`;
}

function signedTerm(d: number): string {
  if (d === 0) return '';
  return d > 0 ? ` + ${magnitude(d)}` : ` - ${magnitude(-d)}`;
}

/** What a test means by a memory operand (kept separately from the Amode given to the encoder). */
export interface MemIntent {
  readonly base: number; // -1 = none
  readonly index: number; // -1 = none
  readonly scale: 1 | 2 | 4 | 8;
  readonly disp: number;
  /** RIP-relative to the label bound at offset 0 of the batch: the address is `disp` (the addend). */
  readonly rip: boolean;
}

/**
 * `[...]` text of a memory operand as capstone prints it. For RIP-relative operands `end` is the offset just past
 * the instruction, needed because the printed displacement is relative to it.
 */
export function memText(m: MemIntent, size: number | null, end: number): string {
  const prefix = size === null ? '' : ptr(size);
  if (m.rip) {
    const rel = m.disp - end;
    return `${prefix}[rip${signedTerm(rel)}]`;
  }
  if (m.base < 0 && m.index < 0) {
    const address = BigInt.asUintN(64, BigInt(m.disp));
    return `${prefix}[${address <= 9n ? address.toString() : `0x${address.toString(16)}`}]`;
  }
  const parts: string[] = [];
  if (m.base >= 0) parts.push(R64[m.base]!);
  if (m.index >= 0) parts.push(m.scale === 1 ? R64[m.index]! : `${R64[m.index]!}*${m.scale}`);
  return `${prefix}[${parts.join(' + ')}${signedTerm(m.disp)}]`;
}

/** Canonical immediate token: the value modulo 2^bits in hex (capstone's spelling varies, see normalizeText). */
export function immTok(value: number | bigint, bits: number): string {
  return `$${BigInt.asUintN(bits, BigInt(value)).toString(16)}`;
}

const NUMBER = /^-?(0x[0-9a-f]+|[0-9]+)$/;

/**
 * Rewrites every pure-number operand of a capstone text into the canonical token. Capstone prints some immediates
 * signed (`add eax, -0x80`), others unsigned (`and eax, 0xffffffff`, `mov rax, 0xffff...`); the value modulo the
 * operand width is what the encoding determines, so that is what is compared.
 */
export function normalizeText(text: string, immBits: number): string {
  const sp = text.indexOf(' ');
  if (sp < 0) return text;
  const operands = text.slice(sp + 1).split(', ');
  const out = operands.map((o) => {
    if (!NUMBER.test(o)) return o;
    const neg = o.startsWith('-');
    const mag = BigInt(neg ? o.slice(1) : o);
    return immTok(neg ? -mag : mag, immBits);
  });
  return `${text.slice(0, sp)} ${out.join(', ')}`;
}

// ---- independent length model ----

export function fitsI8(n: number): boolean {
  return n >= -128 && n <= 127;
}

/** Register-or-memory part of the length: ModRM (+ SIB) (+ displacement). */
export function modrmLength(m: MemIntent | null): number {
  if (m === null) return 1;
  if (m.rip) return 5;
  let base = m.base;
  let index = m.index;
  if (base < 0 && index >= 0 && m.scale === 1) {
    base = index; // an index-only operand with scale 1 is smallest as a plain base
    index = -1;
  }
  if (base < 0) return 6; // ModRM + SIB + disp32
  const sib = index >= 0 || (base & 7) === 4 ? 1 : 0;
  const disp = m.disp === 0 && (base & 7) !== 5 ? 0 : fitsI8(m.disp) ? 1 : 4;
  return 1 + sib + disp;
}

export interface LengthSpec {
  /** Number of legacy/mandatory prefix bytes (66, F2, F3). */
  readonly prefixes: number;
  /** REX.W set. */
  readonly w: boolean;
  /** Register numbers (0..15, or 16..31 for XMM) whose encodings may need REX.R/X/B. */
  readonly regs: readonly number[];
  /** GPRs used as 8-bit operands (4..7 need an empty REX). */
  readonly byteRegs?: readonly number[];
  readonly mem?: MemIntent | null;
  readonly opLen: number;
  /** 'modrm' (default) or 'none' (opcode-embedded register or no operands). */
  readonly form?: 'modrm' | 'none';
  readonly immLen?: number;
}

export function expectedLength(s: LengthSpec): number {
  let rex = s.w;
  for (const r of s.regs) if ((r & 15) >= 8) rex = true;
  for (const r of s.byteRegs ?? []) if (r >= 4 && r <= 7) rex = true;
  const m = s.mem ?? null;
  if (m !== null && !m.rip && ((m.base >= 8) || (m.index >= 8))) rex = true;
  const modrm = s.form === 'none' ? 0 : modrmLength(m);
  return s.prefixes + (rex ? 1 : 0) + s.opLen + modrm + (s.immLen ?? 0);
}
