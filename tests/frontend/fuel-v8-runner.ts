/**
 * Runs a spec script's actions in V8 on fuel-instrumented modules (fuel-instrument.ts) and reports, per action, how
 * many charged operators it executed: the reference the translator's fuel counts are compared with.
 */
import { FUEL_EXPORT, instrumentFuel } from './fuel-instrument.js';
import { readSpecCommands, readSpecModule } from './spec-dir.js';

interface SpecValue {
  type: string;
  value?: string;
}

interface Command {
  type: string;
  line: number;
  filename?: string;
  name?: string;
  as?: string;
  action?: { type: string; module?: string; field: string; args?: SpecValue[] };
}

function jsArg(v: SpecValue): unknown {
  const bits = v.value === undefined || v.value === 'null' ? null : BigInt(v.value);
  const dv = new DataView(new ArrayBuffer(8));
  switch (v.type) {
    case 'i32': return Number(BigInt.asIntN(32, bits!));
    case 'i64': return BigInt.asIntN(64, bits!);
    case 'f32': dv.setUint32(0, Number(bits!)); return dv.getFloat32(0);
    case 'f64': dv.setBigUint64(0, bits!); return dv.getFloat64(0);
    case 'externref': return bits === null ? null : { ref: bits };
    default: return null;
  }
}

function spectest(): Record<string, unknown> {
  const print = () => {};
  return {
    print, print_i32: print, print_i64: print, print_f32: print, print_f64: print, print_i32_f32: print, print_f64_f64: print,
    global_i32: new WebAssembly.Global({ value: 'i32' }, 666),
    global_i64: new WebAssembly.Global({ value: 'i64' }, 666n),
    global_f32: new WebAssembly.Global({ value: 'f32' }, 666.6),
    global_f64: new WebAssembly.Global({ value: 'f64' }, 666.6),
    table: new WebAssembly.Table({ element: 'anyfunc', initial: 10, maximum: 20 }),
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
  };
}

/** Line → charged operators executed, for every action (not assert_exhaustion) V8 could run. */
export function v8FuelCounts(file: string): Map<number, bigint> {
  const counts = new Map<number, bigint>();
  const registry: Record<string, unknown> = { spectest: spectest() };
  const counters: WebAssembly.Global[] = [];
  const named = new Map<string, WebAssembly.Instance | null>();
  let current: WebAssembly.Instance | null = null;
  const total = () => counters.reduce((s, g) => s + (g.value as bigint), 0n);
  for (const cmd of readSpecCommands(file) as Command[]) {
    // A module whose instantiation traps may already have put its functions into a shared table; V8 gives no
    // access to that instance's counter, so later counts could miss operators: stop comparing this script.
    if (cmd.type === 'assert_uninstantiable') break;
    if (cmd.type === 'module') {
      let inst: WebAssembly.Instance | null = null;
      try {
        const module = new WebAssembly.Module(instrumentFuel(readSpecModule(cmd.filename!)));
        inst = new WebAssembly.Instance(module, registry as WebAssembly.Imports);
        counters.push(inst.exports[FUEL_EXPORT] as WebAssembly.Global);
      } catch {
        inst = null; // SIMD or instantiation traps: not compared
      }
      current = inst;
      if (cmd.name !== undefined) named.set(cmd.name, inst);
    } else if (cmd.type === 'register') {
      const inst = cmd.name !== undefined ? named.get(cmd.name) : current;
      if (inst) registry[cmd.as!] = inst.exports;
    } else if ((cmd.type === 'assert_return' || cmd.type === 'assert_trap' || cmd.type === 'action') && cmd.action!.type === 'invoke') {
      const a = cmd.action!;
      const inst = a.module !== undefined ? named.get(a.module) : current;
      const f = inst?.exports[a.field];
      if (typeof f !== 'function') continue;
      const before = total();
      try {
        (f as (...args: unknown[]) => unknown)(...(a.args ?? []).map(jsArg));
      } catch {
        // a trap: the count stops at (and includes) the trapping operator
      }
      counts.set(cmd.line, total() - before);
    }
  }
  return counts;
}
