// Runs one program on every selected engine: one child process per engine, all started up front, then warm-up and
// measured iterations alternating between the engines (the starting engine rotates each round), so slow drifts of
// the machine (frequency, noisy neighbours) spread over all engines instead of biasing the last one.
import type { EngineName, EngineSpec } from './engine-registry.js';
import { EngineProcess, type ChildInfo } from './engine-process.js';
import { loadProgramBytes, type ProgramEntry, type SizeClass } from './manifest.js';
import type { SampleMessage } from './protocol.js';
import { checksumProblem, fuelProblem, type FuelObservation } from './validate.js';

export interface RunPlan {
  readonly engines: readonly EngineSpec[];
  readonly size: SizeClass;
  readonly warmup: number;
  readonly runs: number;
  readonly programsDir: string;
  readonly timeoutMs: number;
  /** Override of the compiled child entry (tests). */
  readonly childScript?: string;
}

export interface EngineSamples {
  readonly compileMs: number[];
  readonly instantiateMs: number[];
  readonly runMs: number[];
  readonly runCpuMs: number[];
}

export interface EngineOutcome {
  readonly engine: EngineName;
  /** Set when the engine failed on this program; its samples are then partial. */
  error?: string;
  /** Measured iterations only (warm-up excluded). */
  readonly samples: EngineSamples;
  checksum?: string;
  /** Fuel per run, when the engine meters fuel (exact decimal). */
  fuel?: string | null;
  child?: ChildInfo;
}

export interface ProgramOutcome {
  readonly program: ProgramEntry;
  readonly n: number;
  readonly expectedChecksum: string;
  readonly engines: EngineOutcome[];
  /** Loud problems: checksum or fuel mismatches, engine failures. */
  readonly failures: string[];
}

export type ProgressEvent =
  | { readonly kind: 'starting'; readonly program: string }
  | {
      readonly kind: 'iteration';
      readonly program: string;
      readonly engine: EngineName;
      readonly phase: 'warm-up' | 'run';
      /** 1-based within the phase. */
      readonly index: number;
      readonly count: number;
    };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runProgram(program: ProgramEntry, plan: RunPlan, onProgress: (event: ProgressEvent) => void = () => {}): Promise<ProgramOutcome> {
  const { n, checksum: expectedChecksum } = program.sizes[plan.size];
  const outcomes: EngineOutcome[] = plan.engines.map((spec) => ({ engine: spec.name, samples: { compileMs: [], instantiateMs: [], runMs: [], runCpuMs: [] } }));
  const failures: string[] = [];
  const fail = (outcome: EngineOutcome, message: string): void => {
    outcome.error ??= message;
    failures.push(message);
  };
  onProgress({ kind: 'starting', program: program.name });

  let bytes: Uint8Array;
  try {
    bytes = loadProgramBytes(plan.programsDir, program);
  } catch (error) {
    for (const outcome of outcomes) outcome.error = errorMessage(error);
    failures.push(`${program.name}: ${errorMessage(error)}`);
    return { program, n, expectedChecksum, engines: outcomes, failures };
  }

  // Start every engine's child (concurrently: start-up is mostly waiting), then hand each the module.
  const processes: (EngineProcess | undefined)[] = await Promise.all(
    plan.engines.map(async (spec, i) => {
      const outcome = outcomes[i]!;
      try {
        const started = await EngineProcess.start(spec, `${program.name} on ${spec.name}`, plan.timeoutMs, plan.childScript);
        outcome.child = started.info;
        await started.process.setup(bytes, program.entry, program.result);
        return started.process;
      } catch (error) {
        fail(outcome, errorMessage(error));
        return undefined;
      }
    }),
  );

  const fuelSeen: FuelObservation[] = [];
  const total = plan.warmup + plan.runs;
  try {
    for (let iteration = 0; iteration < total; iteration++) {
      const warmup = iteration < plan.warmup;
      for (let k = 0; k < plan.engines.length; k++) {
        const e = (iteration + k) % plan.engines.length;
        const handle = processes[e];
        const outcome = outcomes[e]!;
        const spec = plan.engines[e]!;
        if (handle === undefined || outcome.error !== undefined) continue;
        onProgress(
          warmup
            ? { kind: 'iteration', program: program.name, engine: spec.name, phase: 'warm-up', index: iteration + 1, count: plan.warmup }
            : { kind: 'iteration', program: program.name, engine: spec.name, phase: 'run', index: iteration - plan.warmup + 1, count: plan.runs },
        );
        let sample: SampleMessage;
        try {
          sample = await handle.iterate(iteration, n);
        } catch (error) {
          fail(outcome, errorMessage(error));
          await handle.close();
          continue;
        }
        const wrong = checksumProblem(program.name, spec.name, n, expectedChecksum, sample.checksum);
        if (wrong !== undefined) fail(outcome, wrong);
        if (sample.checkProblem !== undefined) fail(outcome, `${program.name} on ${spec.name}: ${sample.checkProblem}`);
        outcome.checksum = sample.checksum;
        if (spec.metersFuel) fuelSeen.push({ engine: spec.name, iteration, fuel: sample.fuel });
        else if (sample.fuel !== null) fail(outcome, `${program.name} on ${spec.name}: reported fuel but its spec says it does not meter fuel`);
        if (!warmup) {
          outcome.samples.compileMs.push(sample.compileMs);
          outcome.samples.instantiateMs.push(sample.instantiateMs);
          outcome.samples.runMs.push(sample.runMs);
          outcome.samples.runCpuMs.push(sample.runCpuMs);
        }
      }
    }
  } finally {
    await Promise.all(processes.map((handle) => handle?.close()));
  }

  const fuelWrong = fuelProblem(program.name, fuelSeen);
  if (fuelWrong !== undefined) {
    failures.push(fuelWrong);
    for (const outcome of outcomes) if (plan.engines.find((s) => s.name === outcome.engine)?.metersFuel) outcome.error ??= fuelWrong;
  } else {
    for (const outcome of outcomes) {
      const seen = fuelSeen.find((o) => o.engine === outcome.engine);
      if (seen !== undefined) outcome.fuel = seen.fuel;
    }
  }
  return { program, n, expectedChecksum, engines: outcomes, failures };
}
