/**
 * injectMetering over the Wasm 2.0 spec suite (skipped, loudly, when absent):
 *   - every valid module (SIMD included) is instrumented under two option sets and the output validates, by our
 *     validator and by V8;
 *   - every non-SIMD script is run three times side by side under V8 — plain, metered (plenty of gas) and under the
 *     counting oracle — and every action must behave the same in all three, with the metered gas consumed equal to
 *     the oracle's count when the action returns (and at least that count when it traps).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/frontend/index.js';
import { injectMetering } from '../../src/frontend/inject-metering.js';
import { COUNTER_EXPORT, instrumentCountingEveryOperator } from './inject-metering-oracle.js';
import { describeOutcome, PLENTY, type Outcome } from './inject-metering-run.js';
import { readSpecCommands, readSpecModule, SPEC_AVAILABLE, SPEC_DIR, specJsonFiles, VALID_MODULE_COMMANDS } from './spec-dir.js';

interface SpecValue {
  type: string;
  value?: string | string[];
}

interface SpecAction {
  type: 'invoke' | 'get';
  module?: string;
  field: string;
  args?: SpecValue[];
}

interface Command {
  type: string;
  line: number;
  name?: string;
  as?: string;
  filename?: string;
  module_type?: string;
  action?: SpecAction;
}

const totals = { validated: 0, scripts: 0, modules: 0, actions: 0, exactCounts: 0, traps: 0, exhaustions: 0, otherErrors: 0 };

/** The same extern object for the same spec externref value, shared by the three worlds so results compare. */
const externs: object[] = [];
function externRef(n: number): object {
  while (externs.length <= n) externs.push({ extern: externs.length });
  return externs[n];
}

const scratch = new DataView(new ArrayBuffer(8));

function toJs(v: SpecValue): unknown {
  const text = v.value as string;
  switch (v.type) {
    case 'i32':
      return Number(BigInt.asIntN(32, BigInt(text)));
    case 'i64':
      return BigInt.asIntN(64, BigInt(text));
    case 'f32':
      scratch.setUint32(0, Number(text));
      return scratch.getFloat32(0);
    case 'f64':
      scratch.setBigUint64(0, BigInt(text));
      return scratch.getFloat64(0);
    case 'externref':
      return text === 'null' ? null : externRef(Number(text));
    case 'funcref':
      return null;
    default:
      throw new Error(`unsupported argument type ${v.type}`);
  }
}

type WorldKind = 'plain' | 'metered' | 'oracle';

/** One run of a script: registered modules, named instances, the spectest host module, and the meters. */
class World {
  private readonly registry: Record<string, WebAssembly.Exports> = {};
  private readonly named = new Map<string, WebAssembly.Instance>();
  private current: WebAssembly.Instance | null = null;
  /** Gas globals (metered) or counters (oracle) of every instance of this world. */
  private readonly meters: WebAssembly.Global[] = [];

  constructor(private readonly kind: WorldKind) {
    const print = (): void => {};
    this.registry.spectest = {
      print,
      print_i32: print,
      print_i64: print,
      print_f32: print,
      print_f64: print,
      print_i32_f32: print,
      print_f64_f64: print,
      global_i32: new WebAssembly.Global({ value: 'i32' }, 666),
      global_i64: new WebAssembly.Global({ value: 'i64' }, 666n),
      global_f32: new WebAssembly.Global({ value: 'f32' }, 666.6),
      global_f64: new WebAssembly.Global({ value: 'f64' }, 666.6),
      table: new WebAssembly.Table({ initial: 10, maximum: 20, element: 'anyfunc' }),
      memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
    };
  }

  /** Plain: the sum of counts so far; metered: gas consumed so far over all instances. */
  usage(): bigint {
    let sum = 0n;
    for (const g of this.meters) sum += this.kind === 'metered' ? PLENTY - (g.value as bigint) : (g.value as bigint);
    return sum;
  }

  instantiate(bytes: Uint8Array, name: string | undefined): Outcome {
    let code = bytes;
    if (this.kind === 'metered') code = injectMetering(bytes, { initialGas: PLENTY }).bytes;
    else if (this.kind === 'oracle') code = instrumentCountingEveryOperator(bytes);
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(code as Uint8Array<ArrayBuffer>), this.registry);
      this.current = instance;
      if (name) this.named.set(name, instance);
      if (this.kind !== 'plain') this.meters.push(instance.exports[this.kind === 'metered' ? '__kindling_gas' : COUNTER_EXPORT] as WebAssembly.Global);
      return { result: undefined, error: null };
    } catch (e) {
      return { result: undefined, error: e as Error };
    }
  }

  register(as: string, name: string | undefined): void {
    const instance = name ? this.named.get(name) : this.current;
    if (!instance) throw new Error(`register: no module ${name ?? '(current)'}`);
    this.registry[as] = instance.exports;
  }

  perform(action: SpecAction): Outcome {
    const instance = action.module ? this.named.get(action.module) : this.current;
    if (!instance) throw new Error(`no module ${action.module ?? '(current)'} for ${action.field}`);
    const target = instance.exports[action.field];
    try {
      if (action.type === 'get') return { result: (target as WebAssembly.Global).value, error: null };
      return { result: (target as (...a: unknown[]) => unknown)(...(action.args ?? []).map(toJs)), error: null };
    } catch (e) {
      return { result: undefined, error: e as Error };
    }
  }
}

/** Runs `step` in the three worlds; checks they behave alike and that gas consumed equals the oracle's count. */
function compare(worlds: World[], where: string, step: (w: World) => Outcome, failures: string[]): void {
  const usage = worlds.map((w) => w.usage());
  const outcomes = worlds.map(step);
  const [plain, metered, oracle] = outcomes.map((o) => describeOutcome(o, externs));
  if (metered !== plain || oracle !== plain) {
    failures.push(`${where}: plain ${plain}, metered ${metered}, oracle ${oracle}`);
    return;
  }
  const consumed = worlds[1].usage() - usage[1];
  const count = worlds[2].usage() - usage[2];
  const error = outcomes[0].error;
  if (error === null) {
    if (consumed !== count) failures.push(`${where}: metered consumed ${consumed}, the oracle counted ${count}`);
    else totals.exactCounts++;
  } else if (error instanceof WebAssembly.RuntimeError) {
    totals.traps++;
    if (consumed < count) failures.push(`${where}: trap: metered consumed ${consumed} < the oracle's ${count}`);
  } else if (error instanceof RangeError) totals.exhaustions++; // stack overflow: where it stops depends on frame sizes
  else totals.otherErrors++; // link errors, JS type errors
}

describe.skipIf(!SPEC_AVAILABLE)(`inject-metering over the spec suite (${SPEC_DIR})`, () => {
  const files = SPEC_AVAILABLE ? specJsonFiles() : [];

  it.each(files)('%s: every valid module, instrumented, validates', (file) => {
    const failures: string[] = [];
    for (const cmd of readSpecCommands(file)) {
      if (!VALID_MODULE_COMMANDS.has(cmd.type) || !cmd.filename || cmd.module_type === 'text') continue;
      const bytes = readSpecModule(cmd.filename);
      for (const options of [{}, { splitAtCalls: false, checks: 'entry-and-loops' as const }]) {
        const out = injectMetering(bytes, options).bytes;
        if (!validate(out)) failures.push(`${cmd.filename} ${JSON.stringify(options)}: rejected by our validator`);
        else if (!WebAssembly.validate(out as Uint8Array<ArrayBuffer>)) failures.push(`${cmd.filename} ${JSON.stringify(options)}: rejected by V8`);
        else totals.validated++;
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(files.filter((f) => !f.startsWith('simd')))('%s: plain, metered and oracle runs agree; counts are exact', (file) => {
    const failures: string[] = [];
    const worlds = [new World('plain'), new World('metered'), new World('oracle')];
    for (const cmd of readSpecCommands(file) as Command[]) {
      const where = `${file}:${cmd.line}`;
      if (cmd.filename && cmd.module_type !== 'text' && (VALID_MODULE_COMMANDS.has(cmd.type))) {
        const bytes = readSpecModule(cmd.filename);
        compare(worlds, `${where} instantiate ${cmd.filename}`, (w) => w.instantiate(bytes, cmd.name), failures);
        totals.modules++;
      } else if (cmd.type === 'register') {
        for (const w of worlds) w.register(cmd.as!, cmd.name);
      } else if (cmd.action) {
        compare(worlds, `${where} ${cmd.action.type} ${cmd.action.field}`, (w) => w.perform(cmd.action!), failures);
        totals.actions++;
      }
    }
    totals.scripts++;
    expect(failures).toEqual([]);
  });

  afterAll(() => {
    console.log(
      `inject-metering spec suite: ${totals.validated} instrumented modules validated (ours and V8); ` +
        `${totals.scripts} scripts run plain/metered/oracle: ${totals.modules} instantiations and ${totals.actions} ` +
        `actions agree; ${totals.exactCounts} completed with gas = oracle count, ${totals.traps} traps (gas ≥ count), ` +
        `${totals.exhaustions} stack exhaustions, ${totals.otherErrors} link/type errors`,
    );
  });
});
