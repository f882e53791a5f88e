/**
 * injectMetering on the committed benchmark programs (bench/programs/*.wasm, clang -O2 output) at their `tiny` size:
 * the output validates, returns the manifest's checksum, consumes exactly the counting oracle's count under every
 * option set, completes with exactly that much gas and traps with one less.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/frontend/index.js';
import { injectMetering, type InjectMeteringOptions } from '../../src/frontend/inject-metering.js';
import { instantiate, MeteredInstance, OracleInstance } from './inject-metering-run.js';

const PROGRAMS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/programs');
const MANIFEST = join(PROGRAMS_DIR, 'manifest.json');

interface ProgramEntry {
  name: string;
  wasm: string;
  entry: string;
  sizes: { tiny: { n: number; checksum: string } };
}

const programs: ProgramEntry[] = existsSync(MANIFEST)
  ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { programs: ProgramEntry[] }).programs.filter((p) =>
      existsSync(join(PROGRAMS_DIR, p.wasm)),
    )
  : [];

if (programs.length === 0) console.warn(`\n*** no benchmark programs in ${PROGRAMS_DIR}: inject-metering bench tests are SKIPPED ***\n`);

const OPTION_SETS: InjectMeteringOptions[] = [{}, { splitAtCalls: false }, { checks: 'entry-and-loops' }];

const rows: string[] = [];

const checksumOf = (result: unknown): string => `0x${((result as number) >>> 0).toString(16).padStart(8, '0')}`;

describe.skipIf(programs.length === 0)('benchmark programs', () => {
  it.each(programs.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const bytes = new Uint8Array(readFileSync(join(PROGRAMS_DIR, p.wasm)));
    const { n, checksum } = p.sizes.tiny;
    const plainRun = instantiate(bytes).exports[p.entry] as (n: number) => number;
    expect(checksumOf(plainRun(n))).toBe(checksum);
    const oracle = new OracleInstance(bytes).run(p.entry, [n]);
    expect(oracle.error).toBeNull();
    expect(checksumOf(oracle.result)).toBe(checksum);
    const count = oracle.count;
    expect(count).toBeGreaterThan(1000n);
    for (const options of OPTION_SETS) {
      const out = injectMetering(bytes, options);
      expect(validate(out.bytes)).toBe(true);
      expect(WebAssembly.validate(out.bytes as Uint8Array<ArrayBuffer>)).toBe(true);
      const r = new MeteredInstance(bytes, {}, options).run(p.entry, [n]);
      expect(r.error).toBeNull();
      expect(checksumOf(r.result)).toBe(checksum);
      expect(r.consumed).toBe(count);
      if (options.checks === undefined) {
        expect(new MeteredInstance(bytes, {}, options).run(p.entry, [n], count)).toMatchObject({ error: null, left: 0n });
        const short = new MeteredInstance(bytes, {}, options).run(p.entry, [n], count - 1n);
        expect(short.error).toBeInstanceOf(WebAssembly.RuntimeError);
        expect(short.left).toBeLessThan(0n);
      }
      if (Object.keys(options).length === 0) {
        rows.push(
          `${p.name.padEnd(14)} n=${String(n).padEnd(5)} fuel ${String(count).padStart(10)}  ` +
            `${bytes.length} → ${out.bytes.length} bytes (+${(((out.bytes.length - bytes.length) / bytes.length) * 100).toFixed(1)}%), ` +
            `${out.chargeSites} charge sites`,
        );
      }
    }
  });

  afterAll(() => {
    if (rows.length > 0) console.log(`inject-metering on the benchmark programs (tiny sizes):\n${rows.join('\n')}`);
  });
});
