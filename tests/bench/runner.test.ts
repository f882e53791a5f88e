// The runner and child-process handling, with fake children (fake-child.mjs) so fuel reports and failures can be
// staged: fuel agreement and mismatch, a wrong checksum, a crash, a hang; engines alternate with a rotating start.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { engineSpec, type EngineName } from '../../bench/harness/engine-registry.js';
import { loadManifest } from '../../bench/harness/manifest.js';
import { defaultProgramsDir } from '../../bench/harness/paths.js';
import { runProgram, type ProgressEvent, type RunPlan } from '../../bench/harness/runner.js';

const programsDir = defaultProgramsDir();
const fib = loadManifest(programsDir).programs.find((p) => p.name === 'fib')!;
const childScript = fileURLToPath(new URL('./fake-child.mjs', import.meta.url));
const metered: EngineName[] = ['kindling+fuel:variable', 'kindling+fuel:memory'];

function plan(engines: EngineName[], overrides: Partial<RunPlan> = {}): RunPlan {
  return { engines: engines.map(engineSpec), size: 'tiny', warmup: 1, runs: 2, programsDir, timeoutMs: 20_000, childScript, ...overrides };
}

afterEach(() => {
  delete process.env.FAKE_CHILD_MODE;
});

describe('runner', () => {
  it('collects measured samples, the checksum and the agreed fuel; engines alternate, the first one rotating', async () => {
    process.env.FAKE_CHILD_MODE = 'agree';
    const events: ProgressEvent[] = [];
    const outcome = await runProgram(fib, plan(metered), (e) => events.push(e));
    expect(outcome.failures).toEqual([]);
    for (const e of outcome.engines) {
      expect(e.error).toBeUndefined();
      expect(e.samples.runMs).toEqual([3, 4]); // iterations 1 and 2; iteration 0 was the warm-up
      expect(e.samples.compileMs).toEqual([1, 1]);
      expect(e.samples.runCpuMs).toEqual([2.5, 3.5]);
      expect(e.checksum).toBe(fib.sizes.tiny.checksum);
      expect(e.fuel).toBe('1000');
    }
    const order = events.filter((e) => e.kind === 'iteration').map((e) => (e.kind === 'iteration' ? `${e.phase}${e.index}:${e.engine}` : ''));
    expect(order).toEqual([
      'warm-up1:kindling+fuel:variable', 'warm-up1:kindling+fuel:memory',
      'run1:kindling+fuel:memory', 'run1:kindling+fuel:variable',
      'run2:kindling+fuel:variable', 'run2:kindling+fuel:memory',
    ]);
  });

  it('fails loudly when fuel differs between strategies', async () => {
    process.env.FAKE_CHILD_MODE = 'disagree';
    const outcome = await runProgram(fib, plan(metered));
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]).toMatch(/^FUEL MISMATCH: fib: .*1000 \(kindling\+fuel:variable#0, kindling\+fuel:variable#1, kindling\+fuel:variable#2\); 1001 \(kindling\+fuel:memory#0/);
    expect(outcome.engines.every((e) => e.error?.startsWith('FUEL MISMATCH'))).toBe(true);
  });

  it('fails loudly on a wrong checksum', async () => {
    process.env.FAKE_CHILD_MODE = 'wrong';
    const outcome = await runProgram(fib, plan(['v8-turbofan'], { warmup: 0, runs: 1 }));
    expect(outcome.failures).toEqual([`CHECKSUM MISMATCH: fib n=20 on v8-turbofan returned 0xdeadbeef, the manifest expects ${fib.sizes.tiny.checksum}`]);
  });

  it('reports a crashed child with its exit code and last output, and keeps running the other engines', async () => {
    process.env.FAKE_CHILD_MODE = 'crash';
    const outcome = await runProgram(fib, plan(['v8-liftoff', 'v8-turbofan'], { warmup: 0, runs: 3 }));
    expect(outcome.failures).toHaveLength(2);
    expect(outcome.failures[0]).toMatch(/^fib on v8-(liftoff|turbofan): child process ended \(exit code 3\); its output ended with:\nfake child: crashing on purpose$/);
    for (const e of outcome.engines) expect(e.samples.runMs).toEqual([2]);
  });

  it('kills a child that does not answer within the timeout', async () => {
    process.env.FAKE_CHILD_MODE = 'hang';
    const started = Date.now();
    const outcome = await runProgram(fib, plan(['v8-turbofan'], { warmup: 0, runs: 2, timeoutMs: 700 }));
    expect(outcome.failures).toEqual(['fib on v8-turbofan: iteration 1 timed out after 0.7 s (child killed)']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a missing child script is a clear error, not a crash', async () => {
    const outcome = await runProgram(fib, plan(['v8-turbofan'], { childScript: '/nonexistent/child.js' }));
    expect(outcome.failures).toEqual(['/nonexistent/child.js is missing: compile the harness first (npx tsc -p tsconfig.json)']);
  });
});
