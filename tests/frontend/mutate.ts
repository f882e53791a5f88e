/** Seeded, deterministic byte mutations of wasm modules, for the fuzz and differential tests. */

/** mulberry32: a tiny seeded PRNG; returns floats in [0, 1). */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes that matter to wasm decoders: LEB continuation/sign edges, type codes, prefixes, `end`. */
const INTERESTING = [0x00, 0x01, 0x0b, 0x40, 0x7f, 0x80, 0xff, 0x70, 0x6f, 0x7b, 0x60, 0xfc, 0xfd, 0x0f, 0x10, 0x41];

/** Applies 1–3 random edits (byte change, truncation, insertion, deletion, chunk duplication); never mutates `input`. */
export function mutate(input: Uint8Array, rng: () => number): Uint8Array<ArrayBuffer> {
  let bytes = Array.from(input);
  const edits = 1 + Math.floor(rng() * 3);
  const pick = (n: number) => Math.floor(rng() * n);
  for (let e = 0; e < edits; e++) {
    // Keep the 8-byte header most of the time: mutations deep in sections exercise more of the decoder.
    const from = rng() < 0.9 ? Math.min(8, bytes.length) : 0;
    const at = from + pick(Math.max(1, bytes.length - from));
    const kind = pick(10);
    if (kind <= 3) bytes[at] = pick(256);
    else if (kind === 4) bytes[at] = INTERESTING[pick(INTERESTING.length)];
    else if (kind === 5) bytes = bytes.slice(0, at);
    else if (kind === 6) bytes.splice(at, 0, ...Array.from({ length: 1 + pick(4) }, () => (rng() < 0.5 ? pick(256) : INTERESTING[pick(INTERESTING.length)])));
    else if (kind === 7) bytes.splice(at, 1 + pick(4));
    else if (kind === 8) {
      const len = 1 + pick(16);
      bytes.splice(at, 0, ...bytes.slice(at, at + len));
    } else bytes[at] ^= 1 << pick(8);
  }
  return Uint8Array.from(bytes);
}
