// `kindling bench FILE.wasm --invoke NAME [--arg N]`: option parsing and the one-program manifest built for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, loadProgramBytes, ManifestError } from '../../bench/harness/manifest.js';
import { parseBenchArgs, UsageError } from '../../bench/harness/options.js';
import { defaultProgramsDir } from '../../bench/harness/paths.js';
import { prepareUserModule } from '../../bench/harness/user-module.js';

const fibWasm = join(defaultProgramsDir(), 'fib.wasm');

describe('benchmarking a user module', () => {
  it('parses FILE.wasm --invoke NAME --arg N, and rejects half of it', () => {
    expect(parseBenchArgs(['my.wasm', '--invoke', 'go', '--arg', '12', '--quick'])).toMatchObject({
      size: 'quick',
      userModule: { file: 'my.wasm', entry: 'go', arg: 12 },
    });
    expect(parseBenchArgs(['my.wasm', '--invoke', 'go']).userModule).toEqual({ file: 'my.wasm', entry: 'go', arg: 0 });
    expect(() => parseBenchArgs(['my.wasm'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--invoke', 'go'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['my.wasm', '--invoke', 'go', '--arg', '1.5'])).toThrow(/--arg needs an i32/);
    expect(() => parseBenchArgs(['my.wasm', '--invoke', 'go', '--programs', 'fib'])).toThrow(/replaces --programs/);
  });

  it('wraps the module as a one-program manifest whose checksum is what V8 returns', () => {
    const { programsDir, program } = prepareUserModule({ file: fibWasm, entry: 'run', arg: 20 });
    const manifest = loadManifest(programsDir);
    expect(manifest.programs.map((p) => p.name)).toEqual([program]);
    const entry = manifest.programs[0]!;
    expect(entry.sizes.quick.n).toBe(20);
    const bytes = loadProgramBytes(programsDir, entry);
    expect(Buffer.from(bytes).equals(readFileSync(fibWasm))).toBe(true);
    const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {});
    const expected = ((v8.exports.run as (n: number) => number)(20) >>> 0).toString(16).padStart(8, '0');
    expect(entry.sizes.quick.checksum).toBe(`0x${expected}`);
  });

  it('refuses an export that is missing or has the wrong shape', () => {
    expect(() => prepareUserModule({ file: fibWasm, entry: 'nope', arg: 0 })).toThrow(ManifestError);
    expect(() => prepareUserModule({ file: fibWasm, entry: 'memory', arg: 0 })).toThrow(/exports no function/);
  });
});
