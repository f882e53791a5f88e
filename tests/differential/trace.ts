/**
 * A trace: what one engine did with one module and one call plan, as a list of entries. Two correct engines produce
 * equal keys entry for entry; `detail` (engine-specific error messages) is shown in reports but never compared.
 */
export interface TraceEntry {
  readonly key: string;
  readonly detail?: string;
}

export interface TraceCounts {
  calls: number;
  /** Calls that returned at least one value. */
  valueReturns: number;
  traps: number;
  /** Host (log) calls. */
  hostCalls: number;
}

export interface Trace {
  readonly entries: TraceEntry[];
  readonly counts: TraceCounts;
}

/** Where two traces first differ, or null when they are equal. */
export interface TraceDifference {
  /** Index of the first differing entry. */
  readonly index: number;
  /** The last `call …` entry at or before it (both traces agree up to there), or '' when before any call. */
  readonly call: string;
  readonly a: TraceEntry | null;
  readonly b: TraceEntry | null;
}

export function diffTraces(a: readonly TraceEntry[], b: readonly TraceEntry[]): TraceDifference | null {
  const n = Math.max(a.length, b.length);
  let call = '';
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x !== null && y !== null && x.key === y.key) {
      if (x.key.startsWith('call ')) call = x.key;
      continue;
    }
    return { index: i, call, a: x, b: y };
  }
  return null;
}

export function describeEntry(entry: TraceEntry | null): string {
  if (entry === null) return '(trace ended)';
  return entry.detail !== undefined ? `${entry.key}   [${entry.detail}]` : entry.key;
}
