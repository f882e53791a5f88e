// kindling's own engine, without fuel and with each fuel strategy. The runtime is being written in src/runtime; until
// its public entry (dist/src/index.js: Engine, Store, WebAssembly, see /work/shared/ARCHITECTURE.md "Public API")
// exists, `probeKindling` reports why these engines are unavailable and the harness skips them.
//
// This adapter codes against the documented API, loaded with a dynamic import so bench/ type-checks before src/
// has it. When the runtime lands: check the shapes in KindlingApi below against the real exports and make the probe
// pass; nothing else in the harness needs to change.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CompiledModule, Engine, EngineInstance } from '../engine.js';

export type FuelStrategy = 'variable' | 'memory';

/** The subset of kindling's public API the benchmarks use (ARCHITECTURE.md "Public API"). */
interface KindlingApi {
  Engine: new (config: { consumeFuel?: boolean; fuelStrategy?: FuelStrategy }) => object;
  Store: new (engine: object) => KindlingStore;
  WebAssembly: {
    Module: new (bytes: Uint8Array, options: { engine: object }) => object;
    Instance: new (module: object, imports: object, options: { store: KindlingStore }) => { exports: Record<string, unknown> };
  };
}

interface KindlingStore {
  setFuel(fuel: bigint | number): void;
  fuelConsumed(): bigint | number;
}

/** The package entry as tsc emits it, relative to this file (dist/bench/harness/engines → dist/src/index.js). */
const KINDLING_ENTRY = new URL('../../../src/index.js', import.meta.url);

/** Enough fuel that no benchmark runs out (the counter is an i64; programs consume ~10^10 at most). */
const FUEL_BUDGET = 1n << 60n;

/** setFuel takes a BigInt (u64, as in wasmtime); should the runtime settle on plain numbers, a safe integer is plenty. */
function setBudget(store: KindlingStore): void {
  try {
    store.setFuel(FUEL_BUDGET);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    store.setFuel(Number.MAX_SAFE_INTEGER);
  }
}

async function importKindling(): Promise<KindlingApi | string> {
  const path = fileURLToPath(KINDLING_ENTRY);
  if (!existsSync(path)) return `kindling runtime not built: ${path} is missing (src/index.ts, then npx tsc)`;
  let api: Record<string, unknown>;
  try {
    api = (await import(KINDLING_ENTRY.href)) as Record<string, unknown>;
  } catch (error) {
    return `kindling runtime failed to load from ${path}: ${(error as Error).message}`;
  }
  const wasm = api.WebAssembly as Record<string, unknown> | undefined;
  const missing = [
    typeof api.Engine === 'function' ? undefined : 'Engine',
    typeof api.Store === 'function' ? undefined : 'Store',
    typeof wasm?.Module === 'function' ? undefined : 'WebAssembly.Module',
    typeof wasm?.Instance === 'function' ? undefined : 'WebAssembly.Instance',
  ].filter((name) => name !== undefined);
  if (missing.length > 0) return `kindling runtime at ${path} does not export ${missing.join(', ')} yet`;
  return api as unknown as KindlingApi;
}

/** undefined when the kindling engines can run, else why not. */
export async function probeKindling(): Promise<string | undefined> {
  const api = await importKindling();
  return typeof api === 'string' ? api : undefined;
}

class KindlingInstance implements EngineInstance {
  constructor(protected readonly exports: Record<string, unknown>) {}

  run(entry: string, n: number): number | bigint {
    const fn = this.exports[entry];
    if (typeof fn !== 'function') throw new Error(`the module has no exported function "${entry}"`);
    return (fn as (n: number) => number | bigint)(n);
  }
}

/** Only metered instances have fuelConsumed: the harness reads fuel from exactly the engines that define it. */
class MeteredKindlingInstance extends KindlingInstance {
  constructor(
    exports: Record<string, unknown>,
    private readonly store: KindlingStore,
  ) {
    super(exports);
  }

  fuelConsumed(): bigint {
    const consumed = this.store.fuelConsumed();
    return typeof consumed === 'bigint' ? consumed : BigInt(consumed);
  }
}

/** strategy undefined: kindling without fuel metering. */
export async function createKindlingEngine(name: string, strategy: FuelStrategy | undefined): Promise<Engine> {
  const api = await importKindling();
  if (typeof api === 'string') throw new Error(api);
  const engine = new api.Engine(strategy === undefined ? { consumeFuel: false } : { consumeFuel: true, fuelStrategy: strategy });
  const metered = strategy !== undefined;
  const adapter: Engine = {
    name,
    compile(bytes: Uint8Array): CompiledModule {
      return new api.WebAssembly.Module(bytes, { engine });
    },
    instantiate(module: CompiledModule): EngineInstance {
      const store = new api.Store(engine);
      if (metered) setBudget(store);
      const instance = new api.WebAssembly.Instance(module as object, {}, { store });
      return metered ? new MeteredKindlingInstance(instance.exports, store) : new KindlingInstance(instance.exports);
    },
  };
  return adapter;
}
