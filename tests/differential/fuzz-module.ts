/**
 * Random valid modules from binaryen's `wasm-opt -ttf` (translate-to-fuzz: turns arbitrary input bytes into a valid
 * module that imports `fuzzing-support` log functions, exports its functions and memory, and bounds every loop and
 * recursion with a "hang limit" global reset by the exported `hangLimitInitializer`). The input bytes come from a
 * seeded PRNG, so a seed names a module exactly (for a given binaryen version).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Prng } from './prng.js';

/**
 * Wasm 2.0 without SIMD, what kindling implements: start from MVP and enable the finished 2.0 proposals. GC,
 * exceptions, tail calls, threads, memory64, SIMD, relaxed SIMD, extended-const, typed function references stay off.
 *
 * Reference types are left out by default: binaryen 108 (Debian 12's) generates them as in the pre-standard proposal,
 * with funcref a subtype of externref ("anyref") and typed `(ref $t)` locals and block types, and V8 rejects about 5
 * modules in 6 it produces with that feature (measured: 67 of 80). `referenceTypes: true` adds it anyway; both engines
 * then simply reject most modules, which the traces record as equal compile errors.
 */
export const FUZZ_FEATURE_FLAGS: readonly string[] = [
  '--mvp-features',
  '--enable-mutable-globals',
  '--enable-sign-ext',
  '--enable-nontrapping-float-to-int',
  '--enable-bulk-memory',
  '--enable-multivalue',
];
export const REFERENCE_TYPES_FLAG = '--enable-reference-types';

export interface FuzzModuleOptions {
  /**
   * Run binaryen's `--denan` (default true): every float produced is replaced by 0 when it is a NaN. Wasm leaves the
   * sign and payload of arithmetic NaNs nondeterministic, so without this two correct engines may legally disagree.
   */
  readonly denan?: boolean;
  /** Also enable reference types (default false: see FUZZ_FEATURE_FLAGS). */
  readonly referenceTypes?: boolean;
  /** Input size range in bytes (more input, bigger module). Default 512..6144. */
  readonly minInputBytes?: number;
  readonly maxInputBytes?: number;
}

/** Path of `wasm-opt` on PATH, or null when binaryen is not installed. */
export function findWasmOpt(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'wasm-opt');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The `wasm-opt --version` line, for reports (binaryen versions generate different modules from the same seed). */
export function wasmOptVersion(wasmOpt: string): string {
  return execFileSync(wasmOpt, ['--version'], { encoding: 'utf8' }).trim();
}

/** Generates modules into a private temp directory; call dispose() when done. */
export class FuzzModuleGenerator {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kindling-fuzz-'));

  constructor(
    private readonly wasmOpt: string,
    private readonly options: FuzzModuleOptions = {},
  ) {}

  /** The module for `seed`: always the same bytes for the same seed, options and binaryen version. */
  generate(seed: number): Uint8Array<ArrayBuffer> {
    const prng = new Prng(seed);
    const min = this.options.minInputBytes ?? 512;
    const max = Math.max(min, this.options.maxInputBytes ?? 6144);
    const input = prng.fill(new Uint8Array(min + prng.below(max - min + 1)));
    const inPath = join(this.dir, 'input.dat');
    const outPath = join(this.dir, 'module.wasm');
    writeFileSync(inPath, input);
    const args = [inPath, '-ttf', ...FUZZ_FEATURE_FLAGS];
    if (this.options.referenceTypes ?? false) args.push(REFERENCE_TYPES_FLAG);
    if (this.options.denan ?? true) args.push('--denan');
    args.push('-o', outPath);
    try {
      execFileSync(this.wasmOpt, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
      throw new Error(`wasm-opt failed for seed ${seed}: ${(e as Error).message}${stderr ? `\n${stderr}` : ''}`);
    }
    return new Uint8Array(readFileSync(outPath));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
