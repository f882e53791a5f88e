/**
 * Differential testing of two WebAssembly-compatible namespaces (V8 and kindling, or any two): for each of `count`
 * random modules from binaryen's translate-to-fuzz, run the same call plan on both, record both traces and report
 * where they first differ. Everything derives from `seed`, so each reported divergence says how to replay it alone.
 *
 *   runDifferential(namespaceA, namespaceB, { count: 30, seed: 1 })
 */
import { planCalls } from './call-plan.js';
import { FuzzModuleGenerator, findWasmOpt, wasmOptVersion, type FuzzModuleOptions } from './fuzz-module.js';
import { deriveSeed } from './prng.js';
import { traceModule } from './run-trace.js';
import { describeEntry, diffTraces, type TraceDifference } from './trace.js';
import type { WasmNamespace } from './wasm-namespace.js';

export interface DifferentialOptions extends FuzzModuleOptions {
  /** Number of modules to generate and run. */
  readonly count: number;
  readonly seed: number;
  /**
   * Index of the first module (default 0). Module i always comes from deriveSeed(seed, i), so a divergence reported
   * for module i is replayed alone with { seed, firstIndex: i, count: 1 }.
   */
  readonly firstIndex?: number;
  /** Passes over the exports per module (default 2). */
  readonly rounds?: number;
  /** Stop starting new modules after this many milliseconds (the report says so). Default: no limit. */
  readonly timeBudgetMs?: number;
  /** Stop after this many divergent modules (default: run all). */
  readonly maxDivergences?: number;
  /** Names used in messages (default 'A' and 'B'). */
  readonly nameA?: string;
  readonly nameB?: string;
  /** wasm-opt to use (default: found on PATH). */
  readonly wasmOpt?: string;
}

export interface Divergence extends TraceDifference {
  readonly moduleIndex: number;
  readonly moduleSeed: number;
  /** The module, to save and replay. */
  readonly wasm: Uint8Array;
  /** Human-readable account of the divergence. */
  readonly message: string;
}

export interface DifferentialReport {
  readonly seed: number;
  readonly binaryen: string;
  readonly modulesRun: number;
  /** Modules the harness could not run (e.g. non-function imports), with reasons. */
  readonly modulesSkipped: readonly string[];
  /** Totals over engine A's traces. */
  readonly calls: number;
  readonly valueReturns: number;
  readonly traps: number;
  readonly hostCalls: number;
  /** Modules engine A failed to compile or instantiate. */
  readonly setupFailures: number;
  /** Modules kindling's parser rejected (run with an empty plan, so only compilation is compared). */
  readonly unparsed: number;
  readonly divergences: readonly Divergence[];
  /** Why the run ended before `count` modules, or null. */
  readonly stoppedEarly: 'time budget' | 'max divergences' | null;
  readonly elapsedMs: number;
}

export function runDifferential(
  namespaceA: WasmNamespace,
  namespaceB: WasmNamespace,
  options: DifferentialOptions,
): DifferentialReport {
  const wasmOpt = options.wasmOpt ?? findWasmOpt();
  if (wasmOpt === null) {
    throw new Error('runDifferential: wasm-opt (binaryen) is not on PATH; install it with scripts/install-system-deps.sh');
  }
  const nameA = options.nameA ?? 'A';
  const nameB = options.nameB ?? 'B';
  const rounds = options.rounds ?? 2;
  const maxDivergences = options.maxDivergences ?? Infinity;
  const started = performance.now();
  const generator = new FuzzModuleGenerator(wasmOpt, options);
  const divergences: Divergence[] = [];
  const modulesSkipped: string[] = [];
  const totals = { calls: 0, valueReturns: 0, traps: 0, hostCalls: 0, setupFailures: 0, unparsed: 0 };
  let modulesRun = 0;
  let stoppedEarly: DifferentialReport['stoppedEarly'] = null;
  try {
    const first = options.firstIndex ?? 0;
    for (let i = first; i < first + options.count; i++) {
      if (options.timeBudgetMs !== undefined && performance.now() - started > options.timeBudgetMs) {
        stoppedEarly = 'time budget';
        break;
      }
      if (divergences.length >= maxDivergences) {
        stoppedEarly = 'max divergences';
        break;
      }
      const moduleSeed = deriveSeed(options.seed, i);
      const wasm = generator.generate(moduleSeed);
      const plan = planCalls(wasm, moduleSeed, rounds);
      if (plan.unsupported !== null) {
        modulesSkipped.push(`module ${i} (seed ${moduleSeed}): ${plan.unsupported}`);
        continue;
      }
      if (plan.parseError !== null) totals.unparsed++;
      const a = traceModule(namespaceA, wasm, plan);
      const b = traceModule(namespaceB, wasm, plan);
      modulesRun++;
      totals.calls += a.counts.calls;
      totals.valueReturns += a.counts.valueReturns;
      totals.traps += a.counts.traps;
      totals.hostCalls += a.counts.hostCalls;
      if (!a.entries.some((e) => e.key.startsWith('instantiate: ok'))) totals.setupFailures++;
      const difference = diffTraces(a.entries, b.entries);
      if (difference !== null) {
        const message = [
          `module ${i} (seed ${moduleSeed}, ${wasm.length} bytes) diverges at trace entry ${difference.index}` +
            ` (replay: seed ${options.seed}, firstIndex ${i}, count 1)`,
          `  in: ${difference.call || '(before any call)'}`,
          `  ${nameA}: ${describeEntry(difference.a)}`,
          `  ${nameB}: ${describeEntry(difference.b)}`,
        ].join('\n');
        divergences.push({ ...difference, moduleIndex: i, moduleSeed, wasm, message });
      }
    }
  } finally {
    generator.dispose();
  }
  return {
    seed: options.seed,
    binaryen: wasmOptVersion(wasmOpt),
    modulesRun,
    modulesSkipped,
    ...totals,
    divergences,
    stoppedEarly,
    elapsedMs: performance.now() - started,
  };
}

/** A few lines summing up a report, for test output. */
export function summarizeReport(r: DifferentialReport): string {
  const head =
    `${r.modulesRun} modules (seed ${r.seed}, ${r.binaryen}), ${r.calls} calls: ${r.valueReturns} returned values, ` +
    `${r.traps} trapped, ${r.hostCalls} host calls; ${r.setupFailures} not compiled/instantiated by A, ` +
    `${r.unparsed} rejected by kindling's parser; ${r.divergences.length} divergent; ` +
    `${Math.round(r.elapsedMs)} ms${r.stoppedEarly ? `; stopped early (${r.stoppedEarly})` : ''}`;
  return [head, ...r.modulesSkipped.map((s) => `skipped ${s}`), ...r.divergences.map((d) => d.message)].join('\n');
}
