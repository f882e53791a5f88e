/**
 * Runs a planned module on one engine (any WebAssembly-compatible namespace) and records its trace: compilation and
 * instantiation outcome, then per planned call the call with its arguments, every host call it makes, its results or
 * trap class, and the state it leaves (hash of each exported memory, exported globals and table sizes).
 */
import type { CallPlan, PlannedCall } from './call-plan.js';
import { hashMemory } from './memory-hash.js';
import { recordingImports } from './host-imports.js';
import { classifyError } from './trap-class.js';
import type { Trace, TraceCounts, TraceEntry } from './trace.js';
import { encodeResults, encodeValue } from './values.js';
import { ValType } from '../../src/frontend/index.js';
import type { WasmNamespace } from './wasm-namespace.js';

export function traceModule(namespace: WasmNamespace, bytes: Uint8Array<ArrayBuffer>, plan: CallPlan): Trace {
  const entries: TraceEntry[] = [];
  const counts: TraceCounts = { calls: 0, valueReturns: 0, traps: 0, hostCalls: 0 };
  const trace = { entries, counts };

  let module: object;
  try {
    module = new namespace.Module(bytes);
  } catch (e) {
    const c = classifyError(e);
    entries.push({ key: `compile: ${c.key}`, detail: c.detail });
    return trace;
  }
  entries.push({ key: 'compile: ok' });

  const imports = recordingImports(plan, entries);
  let exports: Record<string, unknown>;
  try {
    exports = new namespace.Instance(module, imports).exports as Record<string, unknown>;
  } catch (e) {
    const c = classifyError(e);
    entries.push({ key: `instantiate: ${c.key}`, detail: c.detail });
    return trace;
  }
  entries.push({ key: `instantiate: ok, exports [${Object.keys(exports).join(' ')}]` });
  entries.push({ key: `state ${describeState(exports, plan)}` });

  for (const call of plan.calls) {
    if (plan.resetExport !== null) {
      const reset = exports[plan.resetExport];
      if (typeof reset === 'function') reset();
    }
    entries.push({ key: `call ${describeCall(call, plan)}` });
    counts.calls++;
    const hostCallsBefore = entries.length;
    const fn = exports[call.exportName];
    if (typeof fn !== 'function') {
      entries.push({ key: `missing export function ${call.exportName}` });
      continue;
    }
    let outcome: TraceEntry;
    try {
      const returned: unknown = fn(...call.args);
      const results = encodeResults(call.results, returned, plan.externs);
      if (results.length > 0) counts.valueReturns++;
      outcome = { key: `=> ${results.join(' ')}` };
    } catch (e) {
      const c = classifyError(e);
      if (c.key.startsWith('trap ')) counts.traps++;
      outcome = { key: c.key, detail: c.detail };
    }
    counts.hostCalls += entries.length - hostCallsBefore;
    entries.push(outcome);
    entries.push({ key: `state ${describeState(exports, plan)}` });
  }
  return trace;
}

function describeCall(call: PlannedCall, plan: CallPlan): string {
  const args: string[] = [];
  for (let i = 0; i < call.params.length; i++) args.push(encodeValue(call.params[i], call.args[i], plan.externs));
  return `${call.exportName}(${args.join(', ')})`;
}

/** Exported memories (size and hash), globals (value) and tables (length), in export order. */
function describeState(exports: Record<string, unknown>, plan: CallPlan): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'object' || value === null) continue;
    const buffer = (value as { buffer?: unknown }).buffer;
    if (buffer instanceof ArrayBuffer) {
      parts.push(`${name}=${hashMemory(buffer)}`);
    } else if ('value' in value) {
      parts.push(`${name}=${describeGlobalValue((value as { value: unknown }).value, plan)}`);
    } else if (typeof (value as { length?: unknown }).length === 'number') {
      parts.push(`${name}=table[${(value as { length: number }).length}]`);
    }
  }
  return parts.join(' ');
}

/** A global's value without knowing its type: numbers and BigInts exactly, references by kind. */
function describeGlobalValue(value: unknown, plan: CallPlan): string {
  if (typeof value === 'bigint') return encodeValue(ValType.I64, value, plan.externs);
  if (typeof value === 'number') return encodeValue(ValType.F64, value, plan.externs).replace(/^f64:/, 'num:');
  if (typeof value === 'function' || value === null) return encodeValue(ValType.FUNCREF, value, plan.externs);
  return encodeValue(ValType.EXTERNREF, value, plan.externs);
}
