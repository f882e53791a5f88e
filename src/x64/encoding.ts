// Low-level instruction encoding: legacy prefixes, REX, opcode bytes, ModRM/SIB/displacement, immediates.
// These write straight into the code buffer's byte array; each call first reserves 16 bytes (the longest x86
// instruction is 15), so the writes below need no further bounds checks.

import type { Amode } from './amode.js';
import type { CodeBuffer } from './code-buffer.js';

/** REX.W as passed to the emit functions (the W bit's value within the REX byte). */
export const W = 8;

/**
 * Writes legacy prefixes (`prefixes` holds up to two bytes, the first in bits 8-15), REX and the opcode
 * (`opLen` bytes of `opcode`, big-endian: 0x0f3a0b is 0F 3A 0B). Returns the position after the opcode.
 */
function prefixRexOpcode(
  b: Uint8Array,
  p: number,
  prefixes: number,
  rex: number,
  forceRex: boolean,
  opcode: number,
  opLen: number,
): number {
  if (prefixes > 0xff) b[p++] = prefixes >>> 8;
  if ((prefixes & 0xff) !== 0) b[p++] = prefixes & 0xff;
  if (rex !== 0 || forceRex) b[p++] = 0x40 | rex;
  if (opLen === 3) b[p++] = opcode >>> 16;
  if (opLen >= 2) b[p++] = (opcode >>> 8) & 0xff;
  b[p++] = opcode & 0xff;
  return p;
}

/**
 * Register-direct form: ModRM.mod = 11. `reg` is a register or an opcode extension (/digit), `rm` a register;
 * both are used by their low 4 bits, so XMM registers work too. `forceRex` requests an empty REX (spl/bpl/sil/dil).
 */
export function emitRR(
  buf: CodeBuffer,
  prefixes: number,
  rexW: number,
  opcode: number,
  opLen: number,
  reg: number,
  rm: number,
  forceRex: boolean,
): void {
  buf.ensure(16);
  const b = buf.bytes;
  const rex = rexW | ((reg & 8) >> 1) | ((rm & 8) >> 3);
  let p = prefixRexOpcode(b, buf.pos, prefixes, rex, forceRex, opcode, opLen);
  b[p++] = 0xc0 | ((reg & 7) << 3) | (rm & 7);
  buf.pos = p;
}

/** Opcode-embedded register form (push/pop/mov-imm/bswap): the register goes in the opcode's low 3 bits. */
export function emitOpReg(
  buf: CodeBuffer,
  prefixes: number,
  rexW: number,
  opcode: number,
  reg: number,
  forceRex: boolean,
): void {
  buf.ensure(16);
  const b = buf.bytes;
  const rex = rexW | ((reg & 8) >> 3);
  buf.pos = prefixRexOpcode(b, buf.pos, prefixes, rex, forceRex, opcode | (reg & 7), 1);
}

/** Opcode-only instructions (ret, cdq, ud2, ...), with optional REX.W. */
export function emitOp(buf: CodeBuffer, prefixes: number, rexW: number, opcode: number, opLen: number): void {
  buf.ensure(16);
  buf.pos = prefixRexOpcode(buf.bytes, buf.pos, prefixes, rexW, false, opcode, opLen);
}

/**
 * Memory form. Picks the shortest ModRM/SIB/displacement for the addressing mode:
 * - no displacement when disp == 0, except for base rbp/r13 (mod=00 with those means RIP/disp32, so disp8 0 is used);
 * - disp8 when it fits, else disp32;
 * - a SIB byte for any index, for base rsp/r12 (rm=100 means "SIB follows"), and for absolute addresses
 *   (mod=00 rm=101 means RIP-relative in 64-bit mode, so [disp32] needs SIB with no base and no index);
 * - an index-only operand with scale 1 is encoded as a base, which avoids the mandatory disp32.
 * `immTail` is the number of immediate bytes that will follow (RIP-relative displacements are relative to the end
 * of the whole instruction).
 */
export function emitRM(
  buf: CodeBuffer,
  prefixes: number,
  rexW: number,
  opcode: number,
  opLen: number,
  reg: number,
  m: Amode,
  immTail: number,
  forceRex: boolean,
): void {
  buf.ensure(16);
  const b = buf.bytes;
  let base = m.base;
  let index = m.index;
  const shift = m.shift;
  if (base < 0 && index >= 0 && shift === 0) {
    base = index;
    index = -1;
  }
  let rex = rexW | ((reg & 8) >> 1);
  if (index >= 0) rex |= (index & 8) >> 2;
  if (base >= 0) rex |= (base & 8) >> 3;
  let p = prefixRexOpcode(b, buf.pos, prefixes, rex, forceRex, opcode, opLen);
  const r = (reg & 7) << 3;
  const disp = m.disp;

  if (m.label >= 0) {
    b[p++] = r | 5; // mod=00 rm=101: [rip + disp32]
    buf.addLabelRel32(p, m.label, disp, immTail, 'rip-relative operand');
    b[p] = b[p + 1] = b[p + 2] = b[p + 3] = 0;
    buf.pos = p + 4;
    return;
  }
  if (base < 0) {
    b[p++] = r | 4; // mod=00 rm=100: SIB
    b[p++] = (shift << 6) | ((index >= 0 ? index & 7 : 4) << 3) | 5; // base=101 with mod=00: disp32, no base
    b[p++] = disp & 0xff;
    b[p++] = (disp >> 8) & 0xff;
    b[p++] = (disp >> 16) & 0xff;
    b[p++] = (disp >> 24) & 0xff;
    buf.pos = p;
    return;
  }
  let mod: number;
  if (disp === 0 && (base & 7) !== 5) mod = 0;
  else if (disp >= -128 && disp <= 127) mod = 0x40;
  else mod = 0x80;
  if (index >= 0) {
    b[p++] = mod | r | 4;
    b[p++] = (shift << 6) | ((index & 7) << 3) | (base & 7);
  } else if ((base & 7) === 4) {
    b[p++] = mod | r | 4;
    b[p++] = 0x24; // scale 1, index=100 (none), base=100 (rsp/r12)
  } else {
    b[p++] = mod | r | (base & 7);
  }
  if (mod === 0x40) {
    b[p++] = disp & 0xff;
  } else if (mod === 0x80) {
    b[p++] = disp & 0xff;
    b[p++] = (disp >> 8) & 0xff;
    b[p++] = (disp >> 16) & 0xff;
    b[p++] = (disp >> 24) & 0xff;
  }
  buf.pos = p;
}

/** Appends a little-endian immediate of 1, 2 or 4 bytes (space was reserved by the preceding emit). */
export function emitImm(buf: CodeBuffer, value: number, nbytes: number): void {
  const b = buf.bytes;
  let p = buf.pos;
  b[p++] = value & 0xff;
  if (nbytes >= 2) b[p++] = (value >> 8) & 0xff;
  if (nbytes === 4) {
    b[p++] = (value >> 16) & 0xff;
    b[p++] = (value >> 24) & 0xff;
  }
  buf.pos = p;
}

/** Appends a 64-bit immediate given as two 32-bit halves. */
export function emitImm64(buf: CodeBuffer, lo: number, hi: number): void {
  emitImm(buf, lo, 4);
  emitImm(buf, hi, 4);
}
