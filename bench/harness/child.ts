// Child process hosting one engine for one program (started by engine-process.ts with the engine's node flags).
// It compiles, instantiates and runs when asked, timing each step identically for every engine, and reports back.
import { performance } from 'node:perf_hooks';
import type { Engine, EngineInstance } from './engine.js';
import { engineSpec, isEngineName } from './engine-registry.js';
import { formatChecksum, type ResultType } from './manifest.js';
import type { ChildMessage, ChildPhase, ParentMessage } from './protocol.js';

interface Program {
  readonly bytes: Uint8Array;
  readonly entry: string;
  readonly result: ResultType;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function sendError(phase: ChildPhase, error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  send({ type: 'error', phase, message });
}

/** Reports a fatal error, then closes the channel once the message is written (so it is not lost) and ends. */
function failStartup(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.exitCode = 1;
  process.send?.({ type: 'error', phase: 'startup', message } satisfies ChildMessage, () => process.disconnect());
}

/** Collects garbage from earlier iterations outside the timed regions (node --expose-gc), so one run's garbage is
 * not the next run's pause. */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

function iterate(engine: Engine, program: Program, index: number, n: number): void {
  collectGarbage();
  let phase: ChildPhase = 'compile';
  try {
    const t0 = performance.now();
    const module = engine.compile(program.bytes);
    const t1 = performance.now();
    phase = 'instantiate';
    const instance: EngineInstance = engine.instantiate(module);
    const t2 = performance.now();
    phase = 'fuel';
    const fuelBefore = instance.fuelConsumed?.();
    phase = 'run';
    const cpu0 = process.cpuUsage();
    const t3 = performance.now();
    const result = instance.run(program.entry, n);
    const t4 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    phase = 'fuel';
    const fuelAfter = instance.fuelConsumed?.();
    const fuel = fuelBefore !== undefined && fuelAfter !== undefined ? (fuelAfter - fuelBefore).toString() : null;
    phase = 'check';
    const checkProblem = index === 0 ? engine.check?.(instance, program.entry) : undefined;
    const checksum = formatChecksum(result, program.result);
    send({
      type: 'sample',
      index,
      compileMs: t1 - t0,
      instantiateMs: t2 - t1,
      runMs: t4 - t3,
      runCpuMs: (cpu.user + cpu.system) / 1000,
      checksum,
      fuel,
      ...(checkProblem !== undefined ? { checkProblem } : {}),
    });
  } catch (error) {
    sendError(phase, error);
  }
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  if (!isEngineName(name)) {
    failStartup(new Error(`unknown engine "${name}"`));
    return;
  }
  let engine: Engine;
  try {
    engine = await engineSpec(name).create();
  } catch (error) {
    failStartup(error);
    return;
  }
  let program: Program | undefined;
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'setup':
        program = { bytes: new Uint8Array(Buffer.from(message.wasmBase64, 'base64')), entry: message.entry, result: message.result };
        send({ type: 'setup-done' });
        break;
      case 'iterate':
        if (program === undefined) sendError('setup', new Error('iterate before setup'));
        else iterate(engine, program, message.index, message.n);
        break;
      case 'exit':
        process.disconnect();
        break;
    }
  });
  send({ type: 'ready', engine: name, node: process.version, v8: process.versions.v8, execArgv: process.execArgv });
}

if (process.send === undefined) {
  console.error('bench/harness/child.js is started by the benchmark harness (IPC), not by hand');
  process.exitCode = 2;
} else {
  void main();
}
