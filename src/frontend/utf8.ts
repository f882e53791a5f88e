/**
 * Strict UTF-8 for Wasm names: the spec requires well-formed UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequences). TextDecoder's replacement behaviour would hide errors, so validity is checked
 * here first and decoding happens only for valid input.
 */

/** Whether bytes[start, end) is well-formed UTF-8. */
export function isWellFormedUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need: number; // continuation bytes after b0
    let lo = 0x80; // allowed range of the first continuation byte (narrowed to exclude overlongs and surrogates)
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0; // overlong below U+0800
      else if (b0 === 0xed) hi = 0x9f; // U+D800..U+DFFF surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90; // overlong below U+10000
      else if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return false; // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF
    if (end - i - 1 < need) return false;
    const b1 = bytes[i + 1];
    if (b1 < lo || b1 > hi) return false;
    for (let k = 2; k <= need; k++) {
      const b = bytes[i + k];
      if (b < 0x80 || b > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

// ignoreBOM: a leading U+FEFF is part of a Wasm name and must be kept, not stripped.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes[start, end), which the caller has checked with isWellFormedUtf8. ASCII takes a fast path. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii && end - start <= 64) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}
