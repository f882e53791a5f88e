/**
 * A 32-bit hash of a linear memory's bytes, plus its size in pages. Memory is the one channel through which every bit a
 * module computes (NaN payloads included) is observable, so the harness hashes each exported memory after every call.
 *
 * Four interleaved MurmurHash3-style lanes over 32-bit words (a 1 MiB memory is hashed up to ~30 times per module per
 * engine, and the lanes run in parallel), combined and finalised with Murmur's fmix32. Every step is a bijection of
 * the lane state for a given word, so any single changed word always changes the hash; the rotations make changes
 * in high bits diffuse (a plain FNV over words would only carry them upward, so two high-bit flips could cancel).
 */
const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593;

export function hashMemory(buffer: ArrayBuffer): string {
  const wordCount = buffer.byteLength >>> 2;
  const words = new Int32Array(buffer, 0, wordCount);
  let h0 = 0x811c9dc5 | 0;
  let h1 = 0x050c5d1f;
  let h2 = 0x1b873593;
  let h3 = 0x2545f491;
  const whole = wordCount & ~3;
  for (let i = 0; i < whole; i += 4) {
    h0 = mixLane(h0, words[i]);
    h1 = mixLane(h1, words[i + 1]);
    h2 = mixLane(h2, words[i + 2]);
    h3 = mixLane(h3, words[i + 3]);
  }
  for (let i = whole; i < wordCount; i++) h0 = mixLane(h0, words[i]);
  const tail = new Uint8Array(buffer, wordCount << 2);
  for (let i = 0; i < tail.length; i++) h0 = mixLane(h0, tail[i]);
  let h = mixLane(mixLane(mixLane(h0, h1), h2), h3) ^ buffer.byteLength;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return `${buffer.byteLength / 65536}p:${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/** One MurmurHash3 body step: mixes word `w` into lane state `h`. */
function mixLane(h: number, w: number): number {
  let k = Math.imul(w, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
