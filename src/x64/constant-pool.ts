// Deduplicated constants (f32, f64, 16-byte vectors) placed after the code and addressed RIP-relative.
//
// Each distinct (width, bytes) pair gets one label; the code buffer binds those labels when it lays the pool out at
// finish(). Entries are laid out widest first, so each is naturally aligned (16, then 8, then 4) with no padding
// between them; the pool itself starts at a multiple of its widest entry.

export class ConstantPool {
  /** Width in bytes (4, 8 or 16) of each entry. */
  readonly widths: number[] = [];
  /** Four 32-bit words per entry, little-endian order (unused words are 0). */
  readonly words: number[] = [];
  /** The label of each entry. */
  readonly labels: number[] = [];
  // Lookup by the first word, then a short scan: constants are few per function and the key is an integer.
  private readonly byFirstWord = new Map<number, number[]>();

  get count(): number {
    return this.widths.length;
  }

  /** Returns the index of an equal entry, or -1. */
  find(width: number, w0: number, w1: number, w2: number, w3: number): number {
    const bucket = this.byFirstWord.get(w0);
    if (bucket === undefined) return -1;
    const words = this.words;
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i]!;
      const o = e * 4;
      if (this.widths[e] === width && words[o + 1] === w1 && words[o + 2] === w2 && words[o + 3] === w3) return e;
    }
    return -1;
  }

  add(width: number, w0: number, w1: number, w2: number, w3: number, label: number): void {
    const e = this.widths.length;
    this.widths.push(width);
    this.words.push(w0, w1, w2, w3);
    this.labels.push(label);
    const bucket = this.byFirstWord.get(w0);
    if (bucket === undefined) this.byFirstWord.set(w0, [e]);
    else bucket.push(e);
  }

  /** Alignment the pool's start needs (its widest entry), or 1 when empty. */
  get alignment(): number {
    let a = 1;
    for (let i = 0; i < this.widths.length; i++) if (this.widths[i]! > a) a = this.widths[i]!;
    return a;
  }

  get byteSize(): number {
    let n = 0;
    for (let i = 0; i < this.widths.length; i++) n += this.widths[i]!;
    return n;
  }

  /**
   * Writes the pool at `start` (already aligned) and reports each entry's offset through `place(label, offset)`.
   * Returns the end offset.
   */
  writeAt(bytes: Uint8Array, start: number, place: (label: number, offset: number) => void): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let p = start;
    for (const width of [16, 8, 4]) {
      for (let e = 0; e < this.widths.length; e++) {
        if (this.widths[e] !== width) continue;
        place(this.labels[e]!, p);
        for (let w = 0; w < width / 4; w++) view.setUint32(p + w * 4, this.words[e * 4 + w]!, true);
        p += width;
      }
    }
    return p;
  }
}
