/**
 * A small deterministic PRNG (SplitMix32 step over a 32-bit state): the same seed gives the same modules and the same
 * call arguments on every machine, so any divergence the harness reports can be replayed from its seed.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uniformly distributed uint32. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform integer in [0, n) for n ≥ 1 (the modulo bias is irrelevant here). */
  below(n: number): number {
    return this.nextU32() % n;
  }

  /** An element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  fill(bytes: Uint8Array): Uint8Array {
    for (let i = 0; i < bytes.length; i += 4) {
      const word = this.nextU32();
      for (let k = 0; k < 4 && i + k < bytes.length; k++) bytes[i + k] = (word >>> (8 * k)) & 0xff;
    }
    return bytes;
  }
}

/** A seed derived from a parent seed and an index (module number, export number, ...), well mixed. */
export function deriveSeed(parent: number, index: number): number {
  const p = new Prng((parent ^ Math.imul(index + 1, 0x27d4eb2d)) >>> 0);
  p.nextU32();
  return p.nextU32();
}
