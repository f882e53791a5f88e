// V8 through Node's own WebAssembly API. Which tier compiles the code is decided by the node flags of the child
// process (engine-registry.ts); `check` asks V8 itself which tier produced the code, so a flag that silently stops
// working in a future Node fails loudly instead of mislabelling results.
import type { CompiledModule, Engine, EngineInstance } from '../engine.js';

export type V8Tier = 'liftoff' | 'turbofan';

type TierProbe = (fn: unknown) => boolean;

/** %IsLiftoffFunction / %IsTurboFanFunction, available only with --allow-natives-syntax. */
function makeTierProbe(tier: V8Tier): TierProbe | string {
  const intrinsic = tier === 'liftoff' ? '%IsLiftoffFunction' : '%IsTurboFanFunction';
  try {
    return new Function('f', `return ${intrinsic}(f);`) as TierProbe;
  } catch {
    return `cannot ask V8 for the code tier (${intrinsic} needs node --allow-natives-syntax)`;
  }
}

class V8Instance implements EngineInstance {
  constructor(readonly instance: WebAssembly.Instance) {}

  run(entry: string, n: number): number | bigint {
    const fn = this.instance.exports[entry];
    if (typeof fn !== 'function') throw new Error(`the module has no exported function "${entry}"`);
    return (fn as (n: number) => number | bigint)(n);
  }
}

export function createV8Engine(name: string, tier: V8Tier): Engine {
  return {
    name,
    compile(bytes: Uint8Array): CompiledModule {
      return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    },
    instantiate(module: CompiledModule): EngineInstance {
      return new V8Instance(new WebAssembly.Instance(module as WebAssembly.Module, {}));
    },
    check(instance: EngineInstance, entry: string): string | undefined {
      const probe = makeTierProbe(tier);
      if (typeof probe === 'string') return probe;
      const fn = (instance as V8Instance).instance.exports[entry];
      return probe(fn) ? undefined : `V8 did not compile "${entry}" with ${tier} (check the node flags of engine ${name})`;
    },
  };
}
