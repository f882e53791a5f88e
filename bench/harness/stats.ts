// Summary statistics over timing samples. Benchmarks report the median (robust to the odd slow run from a noisy
// neighbour) with min and max, and aggregate ratios across programs with the geometric mean.

export interface Summary {
  readonly count: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

function requireSamples(samples: readonly number[], what: string): void {
  if (samples.length === 0) throw new RangeError(`${what} of an empty sample list`);
  for (const s of samples) if (!Number.isFinite(s)) throw new RangeError(`${what}: sample ${s} is not a finite number`);
}

/** Median; for an even count, the mean of the two middle samples. */
export function median(samples: readonly number[]): number {
  requireSamples(samples, 'median');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  requireSamples(samples, 'summary');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const s of samples) {
    if (s < min) min = s;
    if (s > max) max = s;
    sum += s;
  }
  return { count: samples.length, median: median(samples), min, max, mean: sum / samples.length };
}

/** Geometric mean of positive values (the right average for ratios); undefined for an empty list. */
export function geomean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let logSum = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`geomean: value ${v} is not a positive finite number`);
    logSum += Math.log(v);
  }
  return Math.exp(logSum / values.length);
}

/** a / b, or undefined when either side is missing or b is not positive. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !(b > 0)) return undefined;
  return a / b;
}
