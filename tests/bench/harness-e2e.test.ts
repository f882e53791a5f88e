// The compiled harness end to end, as `node dist/bench/harness/main.js` runs it: real child processes with V8 flags,
// checksum validation, the table, latest.json and latest.svg, and loud failures. The harness is compiled with the
// project's TypeScript into a temporary directory first (the child processes need JavaScript).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, sha256Hex } from '../../bench/harness/manifest.js';
import { defaultProgramsDir, findBenchRoot } from '../../bench/harness/paths.js';
import type { BenchReport } from '../../bench/harness/report.js';
import { allElements, parseXml } from './xml-check.js';

const root = findBenchRoot()!;
const programsDir = defaultProgramsDir();
let work: string;
let mainJs: string;

function bench(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [mainJs, ...args], { encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A programs directory holding `files` from bench/programs and a manifest edited by `edit`. */
function programsCopy(name: string, files: string[], edit: (manifest: { programs: Record<string, unknown>[] }) => void): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const f of files) copyFileSync(join(programsDir, f), join(dir, f));
  const manifest = JSON.parse(readFileSync(join(programsDir, 'manifest.json'), 'utf8')) as { programs: Record<string, unknown>[] };
  edit(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kindling-bench-e2e-'));
  const out = join(work, 'build');
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { outDir: out, rootDir: root, declaration: false, sourceMap: false, typeRoots: [join(root, 'node_modules', '@types')] },
      include: [join(root, 'bench', 'harness', '**', '*.ts')],
    }),
  );
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  mainJs = join(out, 'bench', 'harness', 'main.js');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('benchmark harness end to end', () => {
  it('runs programs on V8 Liftoff and TurboFan, prints the table, writes latest.json and latest.svg', () => {
    const out = join(work, 'results');
    const r = bench(['--size', 'tiny', '--programs', 'fib,crc32', '--engines', 'v8-liftoff,v8-turbofan', '--runs', '2', '--out', out, '--programs-dir', programsDir]);
    expect(r.stderr).not.toMatch(/FAIL/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^engines: v8-liftoff, v8-turbofan$/m);
    expect(r.stdout).toMatch(/^fib\s+v8-liftoff\s+\d/m);
    expect(r.stdout).toMatch(/^crc32\s+v8-liftoff\s+\d/m);
    expect(r.stdout).toMatch(/^\s+v8-turbofan\s+\S+\s+\S+\s+\[.*\]\s+1\.00/m);
    expect(r.stdout).toContain('geomean over 2 program(s)');
    expect(r.stderr).toContain('[1/2] fib');

    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as BenchReport;
    const manifest = loadManifest(programsDir);
    expect(report.size).toBe('tiny');
    expect(report.machine.loadAverage).toHaveLength(3);
    expect(report.failures).toEqual([]);
    expect(report.programs.map((p) => p.name)).toEqual(['fib', 'crc32']);
    for (const program of report.programs) {
      const expected = manifest.programs.find((p) => p.name === program.name)!.sizes.tiny;
      expect(program.n).toBe(expected.n);
      for (const engine of ['v8-liftoff', 'v8-turbofan'] as const) {
        const e = program.engines[engine]!;
        expect(e.ok).toBe(true);
        expect(e.checksum).toBe(expected.checksum);
        expect(e.samples.runMs).toHaveLength(2);
        expect(e.runMs!.min).toBeLessThanOrEqual(e.runMs!.median);
        expect(e.compileMs!.median).toBeGreaterThan(0);
        expect(e.runCpuMs!.count).toBe(2);
        expect(e.runCpuMs!.max).toBeGreaterThan(0);
      }
      expect(program.engines['v8-turbofan']!.runVsTurbofan).toBe(1);
      expect(program.engines['v8-liftoff']!.runVsTurbofan).toBeCloseTo(program.engines['v8-liftoff']!.runMs!.median / program.engines['v8-turbofan']!.runMs!.median, 12);
    }
    expect(report.engines.find((e) => e.name === 'kindling')).toMatchObject({ selected: false, unavailable: expect.stringContaining('not built') });
    expect(report.engines.find((e) => e.name === 'v8-liftoff')!.nodeFlags).toContain('--no-wasm-tier-up');

    const svg = allElements(parseXml(readFileSync(join(out, 'latest.svg'), 'utf8')));
    expect(svg.filter((e) => e.name === 'rect' && e.attributes.get('class') === 'bar')).toHaveLength(2 * (2 + 1) * 2);
  });

  it('fails loudly (exit 1) when a result is not the manifest checksum', () => {
    const dir = programsCopy('wrong-checksum', ['fib.wasm'], (m) => {
      m.programs = m.programs.filter((p) => p.name === 'fib');
      (m.programs[0]!.sizes as { tiny: { checksum: string } }).tiny.checksum = '0x12345678';
    });
    const r = bench(['--size', 'tiny', '--runs', '1', '--warmup', '0', '--no-write', '--programs-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FAILED CHECKSUM MISMATCH: fib n=20 on v8-liftoff returned 0x[0-9a-f]{8}, the manifest expects 0x12345678/);
    expect(r.stderr).toContain('FAILURE(S): the numbers above are not trustworthy');
    expect(r.stdout).toMatch(/v8-turbofan\s+FAILED\s+CHECKSUM MISMATCH/);
  });

  it('fails loudly when a .wasm does not match the sha256 its checksums were recorded for', () => {
    const dir = programsCopy('stale', ['fib.wasm'], (m) => {
      m.programs = m.programs.filter((p) => p.name === 'fib');
      m.programs[0]!.sha256 = '0'.repeat(64);
    });
    const r = bench(['--size', 'tiny', '--runs', '1', '--no-write', '--programs-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fib\.wasm has sha256 [0-9a-f]{64} but the manifest records 0{64}: rebuild with bench\/build\.sh/);
  });

  it('reports a trap in the program as a failure of that engine', () => {
    // (module (func (export "run") (param i32) (result i32) unreachable))
    const trap = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 114, 117, 110, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
    const dir = programsCopy('trap', [], (m) => {
      const size = { n: 1, checksum: '0x00000001' };
      m.programs = [{ name: 'trap', description: 'traps', source: 'trap.wat', wasm: 'trap.wasm', sha256: sha256Hex(trap), entry: 'run', result: 'i32', sizes: { tiny: size, quick: size, default: size } }];
    });
    writeFileSync(join(dir, 'trap.wasm'), trap);
    const r = bench(['--size', 'tiny', '--runs', '1', '--engines', 'v8-turbofan', '--no-write', '--programs-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAILED trap on v8-turbofan: run failed: RuntimeError: unreachable');
  });

  it('refuses engines that cannot run here, and bad options, with the reason', () => {
    const unavailable = bench(['--engines', 'kindling+fuel:memory', '--size', 'tiny', '--no-write', '--programs-dir', programsDir]);
    expect(unavailable.status).toBe(1);
    expect(unavailable.stderr).toMatch(/requested engine\(s\) cannot run here:\n {2}kindling\+fuel:memory: kindling runtime not built/);
    // Compiled outside the checkout, the harness cannot find bench/programs by itself.
    const lost = bench(['--size', 'tiny', '--no-write']);
    expect(lost.status).toBe(1);
    expect(lost.stderr).toMatch(/^bench: cannot find bench\/programs\/manifest\.json above .*; pass --programs-dir\n$/);
    const usage = bench(['--engine', 'v8-turbofan']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('bench: unknown option "--engine"');
  });

  it("the V8 adapter's tier check notices code from the wrong tier", () => {
    const v8Js = join(work, 'build', 'bench', 'harness', 'engines', 'v8.js');
    const script = `
      import { readFileSync } from 'node:fs';
      const { createV8Engine } = await import(${JSON.stringify(v8Js)});
      const bytes = readFileSync(${JSON.stringify(join(programsDir, 'fib.wasm'))});
      for (const tier of ['liftoff', 'turbofan']) {
        const engine = createV8Engine('test', tier);
        const instance = engine.instantiate(engine.compile(bytes));
        instance.run('run', 5);
        console.log(tier + ': ' + (engine.check(instance, 'run') ?? 'ok'));
      }`;
    const run = (flags: string[]) => execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run(['--allow-natives-syntax', '--liftoff', '--no-wasm-tier-up'])).toBe(
      'liftoff: ok\nturbofan: V8 did not compile "run" with turbofan (check the node flags of engine test)\n',
    );
    expect(run(['--allow-natives-syntax', '--no-liftoff'])).toBe('liftoff: V8 did not compile "run" with liftoff (check the node flags of engine test)\nturbofan: ok\n');
    expect(run([])).toMatch(/^liftoff: cannot ask V8 for the code tier \(%IsLiftoffFunction needs node --allow-natives-syntax\)/);
  });
});
