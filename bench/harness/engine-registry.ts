// Every engine the benchmarks know, with the node flags of the child process that hosts it. The parent uses the specs
// (names, flags, availability); the child uses `create` to build the adapter.
//
// V8 flags (Node 20 / V8 11.3; see `node --v8-options | grep -i -A1 liftoff`):
// - all: eager compilation (lazy compilation would move compile time into the first call), no native-module cache
//   (recompiling the same bytes would otherwise be a cache hit), natives syntax for the tier self-check, exposed gc so
//   the child collects between iterations, outside the timed regions.
// - Liftoff only: --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering (Liftoff code never tiers up).
// - TurboFan only: --no-liftoff (every function compiled by TurboFan up front).
import type { Engine } from './engine.js';
import { createKindlingEngine, probeKindling } from './engines/kindling.js';
import { createV8Engine } from './engines/v8.js';
import { createMeteredV8Engine } from './engines/v8-metered.js';

export const ENGINE_NAMES = [
  'v8-liftoff',
  'v8-turbofan',
  'kindling',
  'kindling+fuel:variable',
  'kindling+fuel:memory',
  'v8+injected-metering',
] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Ratios are reported against these two when they ran. */
export const TURBOFAN_BASELINE: EngineName = 'v8-turbofan';
export const KINDLING_BASELINE: EngineName = 'kindling';

export interface EngineSpec {
  readonly name: EngineName;
  readonly description: string;
  /** execArgv of the child process hosting this engine. */
  readonly nodeFlags: readonly string[];
  /** Whether instances report fuel (all such engines must agree on every program's count). */
  readonly metersFuel: boolean;
  /** undefined when the engine can run here, else the reason it cannot. */
  probe(): Promise<string | undefined>;
  create(): Promise<Engine>;
}

const V8_COMMON_FLAGS = [
  '--no-wasm-lazy-compilation',
  '--no-wasm-native-module-cache-enabled',
  '--allow-natives-syntax',
  '--expose-gc',
] as const;
const KINDLING_FLAGS = ['--expose-gc'] as const;

const available = (): Promise<string | undefined> => Promise.resolve(undefined);

export const ENGINE_SPECS: readonly EngineSpec[] = [
  {
    name: 'v8-liftoff',
    description: "V8's baseline compiler only (no tier-up)",
    nodeFlags: [...V8_COMMON_FLAGS, '--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'],
    metersFuel: false,
    probe: available,
    create: () => Promise.resolve(createV8Engine('v8-liftoff', 'liftoff')),
  },
  {
    name: 'v8-turbofan',
    description: "V8's optimizing compiler only",
    nodeFlags: [...V8_COMMON_FLAGS, '--no-liftoff'],
    metersFuel: false,
    probe: available,
    create: () => Promise.resolve(createV8Engine('v8-turbofan', 'turbofan')),
  },
  {
    name: 'kindling',
    description: 'kindling without fuel metering',
    nodeFlags: KINDLING_FLAGS,
    metersFuel: false,
    probe: probeKindling,
    create: () => createKindlingEngine('kindling', undefined),
  },
  {
    name: 'kindling+fuel:variable',
    description: 'kindling, fuel counter as an SSA variable (wasmtime)',
    nodeFlags: KINDLING_FLAGS,
    metersFuel: true,
    probe: probeKindling,
    create: () => createKindlingEngine('kindling+fuel:variable', 'variable'),
  },
  {
    name: 'kindling+fuel:memory',
    description: 'kindling, fuel counter read-modify-written in memory',
    nodeFlags: KINDLING_FLAGS,
    metersFuel: true,
    probe: probeKindling,
    create: () => createKindlingEngine('kindling+fuel:memory', 'memory'),
  },
  {
    // The peer for fuel overhead: V8 TurboFan running a module instrumented at the wasm level (a global counter
    // charged per straight-line run, with wasmtime's operator costs so its counts match kindling's); the
    // instrumentation is timed as part of compile; fuel is read back from the exported gas global.
    name: 'v8+injected-metering',
    description: 'V8 TurboFan on wasm instrumented with fuel counting',
    nodeFlags: [...V8_COMMON_FLAGS, '--no-liftoff'],
    metersFuel: true,
    probe: available,
    create: () => Promise.resolve(createMeteredV8Engine('v8+injected-metering')),
  },
];

export function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
}

export function engineSpec(name: EngineName): EngineSpec {
  const spec = ENGINE_SPECS.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no spec for engine ${name}`);
  return spec;
}
