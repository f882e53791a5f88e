// The metering peer: V8 TurboFan running the module instrumented at the wasm level by `injectMetering` (a global i64
// gas counter charged per straight-line run, with kindling's operator costs, so its counts equal kindling's fuel for
// runs that finish). This is what users do today without native fuel; the instrumentation is part of compile time.
import { injectMetering } from '../../../src/frontend/inject-metering.js';
import type { CompiledModule, Engine, EngineInstance } from '../engine.js';

/** Gas given to each instance: far more than any benchmark consumes. */
const INITIAL_GAS = 1n << 62n;

interface MeteredModule {
  readonly module: WebAssembly.Module;
  readonly gasExport: string;
}

class MeteredInstance implements EngineInstance {
  private readonly gas: WebAssembly.Global;

  constructor(readonly instance: WebAssembly.Instance, gasExport: string) {
    const gas = instance.exports[gasExport];
    if (!(gas instanceof WebAssembly.Global)) throw new Error(`the metered module does not export its gas global "${gasExport}"`);
    this.gas = gas;
    this.gas.value = INITIAL_GAS;
  }

  run(entry: string, n: number): number | bigint {
    const fn = this.instance.exports[entry];
    if (typeof fn !== 'function') throw new Error(`the module has no exported function "${entry}"`);
    return (fn as (n: number) => number | bigint)(n);
  }

  fuelConsumed(): bigint {
    return INITIAL_GAS - (this.gas.value as bigint);
  }
}

export function createMeteredV8Engine(name: string): Engine {
  return {
    name,
    compile(bytes: Uint8Array): CompiledModule {
      const metered = injectMetering(bytes, { validate: false });
      const module = new WebAssembly.Module(metered.bytes as Uint8Array<ArrayBuffer>);
      return { module, gasExport: metered.gasGlobalExport } satisfies MeteredModule;
    },
    instantiate(compiled: CompiledModule): EngineInstance {
      const { module, gasExport } = compiled as MeteredModule;
      return new MeteredInstance(new WebAssembly.Instance(module, {}), gasExport);
    },
  };
}
