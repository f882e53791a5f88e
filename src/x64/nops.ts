// Multi-byte NOPs, the forms recommended in the Intel SDM (vol. 2B, "NOP"): one instruction per up to 9 bytes, so
// padding before a loop header costs at most one decode slot per 9 bytes.

const NOP_FORMS: readonly (readonly number[])[] = [
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

/** Longest single NOP instruction written by writeNops. */
export const MAX_NOP_LENGTH = 9;

/** Writes `count` bytes of NOP instructions at `pos` (the caller guarantees capacity). Returns the new position. */
export function writeNops(bytes: Uint8Array, pos: number, count: number): number {
  let p = pos;
  let left = count;
  while (left > 0) {
    const n = left > MAX_NOP_LENGTH ? MAX_NOP_LENGTH : left;
    const form = NOP_FORMS[n]!;
    for (let i = 0; i < n; i++) bytes[p + i] = form[i]!;
    p += n;
    left -= n;
  }
  return p;
}
