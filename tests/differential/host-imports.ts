/**
 * Recording host functions for a planned module: binaryen's `fuzzing-support.log-*` imports (and any other function
 * import) write one trace entry per call, with their arguments encoded exactly, and return zeros.
 */
import { type CallPlan, zeroOf } from './call-plan.js';
import type { TraceEntry } from './trace.js';
import { encodeValue } from './values.js';

export function recordingImports(plan: CallPlan, trace: TraceEntry[]): WebAssembly.Imports {
  const imports: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const imp of plan.imports) {
    const { params, results } = imp;
    const label = `host ${imp.module}.${imp.name}`;
    const stub = (...args: unknown[]): unknown => {
      const parts: string[] = [];
      for (let i = 0; i < params.length; i++) parts.push(encodeValue(params[i], args[i], plan.externs));
      trace.push({ key: `${label}(${parts.join(', ')})` });
      if (results.length === 0) return undefined;
      if (results.length === 1) return zeroOf(results[0]);
      return Array.from(results, zeroOf);
    };
    (imports[imp.module] ??= {})[imp.name] = stub;
  }
  return imports as WebAssembly.Imports;
}
