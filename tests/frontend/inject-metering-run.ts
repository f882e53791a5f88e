/** Running modules under Node's WebAssembly for inject-metering's tests: plain, metered, and under the counting oracle. */
import { injectMetering, type InjectMeteringOptions } from '../../src/frontend/inject-metering.js';
import { COUNTER_EXPORT, instrumentCountingEveryOperator } from './inject-metering-oracle.js';

export type Imports = WebAssembly.Imports;

/** Plenty of gas for any test program. */
export const PLENTY = 1n << 60n;

export function instantiate(bytes: Uint8Array, imports: Imports = {}): WebAssembly.Instance {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports);
}

export interface Outcome {
  /** The call's result, or undefined when it threw. */
  result: unknown;
  /** What it threw, or null. */
  error: Error | null;
}

export function call(instance: WebAssembly.Instance, name: string, args: unknown[]): Outcome {
  const f = instance.exports[name] as (...a: unknown[]) => unknown;
  try {
    return { result: f(...args), error: null };
  } catch (e) {
    return { result: undefined, error: e as Error };
  }
}

/** A metered instance with its gas global. */
export class MeteredInstance {
  readonly instance: WebAssembly.Instance;
  readonly gas: WebAssembly.Global;

  constructor(bytes: Uint8Array, imports: Imports = {}, options: InjectMeteringOptions = {}) {
    const metered = injectMetering(bytes, options);
    this.instance = instantiate(metered.bytes, imports);
    this.gas = this.instance.exports[metered.gasGlobalExport] as WebAssembly.Global;
  }

  /** Sets the gas, calls, and reports the gas consumed (set − left) and what was left. */
  run(name: string, args: unknown[], gas: bigint = PLENTY): Outcome & { consumed: bigint; left: bigint } {
    this.gas.value = gas;
    const outcome = call(this.instance, name, args);
    const left = this.gas.value as bigint;
    return { ...outcome, consumed: gas - left, left };
  }
}

/** An instance under the counting oracle. */
export class OracleInstance {
  readonly instance: WebAssembly.Instance;
  readonly counter: WebAssembly.Global;

  constructor(bytes: Uint8Array, imports: Imports = {}) {
    this.instance = instantiate(instrumentCountingEveryOperator(bytes), imports);
    this.counter = this.instance.exports[COUNTER_EXPORT] as WebAssembly.Global;
  }

  /** Calls and reports the number of cost-1 operators executed by the call. */
  run(name: string, args: unknown[]): Outcome & { count: bigint } {
    const before = this.counter.value as bigint;
    const outcome = call(this.instance, name, args);
    return { ...outcome, count: (this.counter.value as bigint) - before };
  }
}

/** A result as a comparable string: NaN payloads are not observable from JS, references only by kind or identity. */
export function describeValue(v: unknown, externs: unknown[] = []): string {
  if (Array.isArray(v)) return `[${v.map((x) => describeValue(x, externs)).join(', ')}]`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'funcref';
  const i = externs.indexOf(v);
  return i >= 0 ? `extern ${i}` : `object`;
}

export function describeOutcome(o: Outcome, externs: unknown[] = []): string {
  return o.error ? `threw ${o.error.constructor.name}` : `returned ${describeValue(o.result, externs)}`;
}
