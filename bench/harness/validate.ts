// The checks that make benchmark numbers trustworthy: every run returns the manifest's checksum, and every engine
// that meters fuel reports the same exact count on every run of a program (fuel is deterministic by design: the
// strategies differ only in where the counter lives, never in what it counts).

/** A problem message when `actual` is not the manifest's checksum, else undefined. */
export function checksumProblem(program: string, engine: string, n: number, expected: string, actual: string): string | undefined {
  if (actual === expected) return undefined;
  return `CHECKSUM MISMATCH: ${program} n=${n} on ${engine} returned ${actual}, the manifest expects ${expected}`;
}

export interface FuelObservation {
  readonly engine: string;
  /** Iteration index within the engine's runs (warm-up included). */
  readonly iteration: number;
  /** Decimal count, or null if a metering engine reported none. */
  readonly fuel: string | null;
}

/**
 * undefined when all observations agree on one count; else a message listing each distinct count with the engines
 * and iterations that reported it.
 */
export function fuelProblem(program: string, observations: readonly FuelObservation[]): string | undefined {
  if (observations.length === 0) return undefined;
  const byCount = new Map<string, string[]>();
  for (const o of observations) {
    const key = o.fuel ?? 'none';
    const list = byCount.get(key) ?? [];
    list.push(`${o.engine}#${o.iteration}`);
    byCount.set(key, list);
  }
  if (byCount.size === 1 && !byCount.has('none')) return undefined;
  const detail = [...byCount.entries()].map(([count, who]) => `${count} (${who.join(', ')})`).join('; ');
  return `FUEL MISMATCH: ${program}: fuel consumed must be identical across strategies and runs, got ${detail}`;
}

/** The single agreed fuel count of a program (call after fuelProblem returned undefined). */
export function agreedFuel(observations: readonly FuelObservation[]): string | null {
  return observations.length === 0 ? null : observations[0]!.fuel;
}
