// Every committed benchmark module is in the manifest, instantiates with no imports under Node's WebAssembly, and
// returns the manifest's checksum at the tiny size.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatChecksum, loadManifest, loadProgramBytes, sha256Hex } from '../../bench/harness/manifest.js';
import { defaultProgramsDir } from '../../bench/harness/paths.js';

const programsDir = defaultProgramsDir();
const manifest = loadManifest(programsDir);

describe('bench/programs', () => {
  it('has at least the 12 programs issue #7 asks for, each with its source and module', () => {
    const names = manifest.programs.map((p) => p.name);
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const required of ['ackermann', 'fib', 'sieve', 'nested_loops', 'heapsort', 'quicksort', 'matmul', 'nbody', 'mandelbrot', 'blake2s', 'crc32', 'base64', 'interp', 'memops']) {
      expect(names).toContain(required);
    }
    for (const p of manifest.programs) {
      expect(existsSync(join(programsDir, p.source)), p.source).toBe(true);
      expect(sha256Hex(readFileSync(join(programsDir, p.wasm))), `${p.wasm} matches the manifest's sha256`).toBe(p.sha256);
    }
  });

  it('lists every .wasm file and .c program in the manifest', () => {
    const files = readdirSync(programsDir);
    const wasm = files.filter((f) => f.endsWith('.wasm')).sort();
    const sources = files.filter((f) => f.endsWith('.c') && f !== 'native_main.c').sort();
    expect(wasm).toEqual(manifest.programs.map((p) => p.wasm).sort());
    expect(sources).toEqual(manifest.programs.map((p) => p.source).sort());
  });

  it('has sizes growing from tiny to quick to default, with a distinct checksum each', () => {
    for (const p of manifest.programs) {
      const { tiny, quick } = p.sizes;
      expect(tiny.n, p.name).toBeLessThan(quick.n);
      expect(quick.n, p.name).toBeLessThan(p.sizes.default.n);
      expect(new Set([tiny.checksum, quick.checksum, p.sizes.default.checksum]).size, `${p.name}: distinct checksums per size`).toBe(3);
    }
  });

  for (const program of manifest.programs) {
    it(`${program.name}: needs no imports, exports "${program.entry}", returns ${program.sizes.tiny.checksum} at n=${program.sizes.tiny.n}`, () => {
      const module = new WebAssembly.Module(loadProgramBytes(programsDir, program) as Uint8Array<ArrayBuffer>);
      expect(WebAssembly.Module.imports(module)).toEqual([]);
      expect(WebAssembly.Module.exports(module)).toContainEqual({ name: program.entry, kind: 'function' });
      const instance = new WebAssembly.Instance(module, {});
      const run = instance.exports[program.entry] as (n: number) => number | bigint;
      expect(formatChecksum(run(program.sizes.tiny.n), program.result)).toBe(program.sizes.tiny.checksum);
    });
  }

  it('a different n gives a different checksum (the result depends on the work done)', () => {
    const fib = manifest.programs.find((p) => p.name === 'fib')!;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(loadProgramBytes(programsDir, fib) as Uint8Array<ArrayBuffer>), {});
    const run = instance.exports.run as (n: number) => number;
    expect(formatChecksum(run(fib.sizes.tiny.n + 1), 'i32')).not.toBe(fib.sizes.tiny.checksum);
    // fib(20) = 6765 before mixing: check the mixing against an independent computation.
    let h = (0x811c9dc5 ^ 6765) >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    expect(formatChecksum((h ^ (h >>> 15)) >>> 0, 'i32')).toBe(formatChecksum(run(20), 'i32'));
  });
});
