// bench/programs/manifest.json: the list of programs, their sizes (n per size class) and expected checksums, and the
// sha256 of each .wasm the checksums were recorded for (so a rebuilt module with a stale manifest fails loudly).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIZE_CLASSES = ['tiny', 'quick', 'default'] as const;
/** tiny: unit tests (milliseconds); quick: `--quick` (~5-10x below default); default: 0.2-2 s under V8. */
export type SizeClass = (typeof SIZE_CLASSES)[number];

export type ResultType = 'i32' | 'i64';

export interface ProgramSize {
  /** The argument passed to the entry. */
  readonly n: number;
  /** Expected result, formatted by `formatChecksum`; empty only before build.sh has recorded it. */
  readonly checksum: string;
}

export interface ProgramEntry {
  readonly name: string;
  readonly description: string;
  /** Source file and module file, relative to the programs directory. */
  readonly source: string;
  readonly wasm: string;
  /** Hex sha256 of the .wasm the checksums belong to. */
  readonly sha256: string;
  /** Exported function taking one i32 and returning the checksum. */
  readonly entry: string;
  readonly result: ResultType;
  readonly sizes: Readonly<Record<SizeClass, ProgramSize>>;
}

export interface Manifest {
  readonly schema: 1;
  readonly programs: readonly ProgramEntry[];
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** A result as the manifest records it: i32 as 0x + 8 hex digits (unsigned), i64 as 0x + 16 hex digits. */
export function formatChecksum(value: number | bigint, type: ResultType): string {
  if (type === 'i32') {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new ManifestError(`expected an i32 result (a JS integer number), got ${typeof value} ${String(value)}`);
    }
    return '0x' + (value >>> 0).toString(16).padStart(8, '0');
  }
  if (typeof value !== 'bigint') throw new ManifestError(`expected an i64 result (a BigInt), got ${typeof value} ${String(value)}`);
  return '0x' + BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const CHECKSUM_PATTERN = { i32: /^0x[0-9a-f]{8}$/, i64: /^0x[0-9a-f]{16}$/ } as const;

function fail(where: string, what: string): never {
  throw new ManifestError(`manifest ${where}: ${what}`);
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(where, `expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Checks the shape of parsed manifest JSON. With `requireChecksums` false (the manifest tool, before checksums are
 * recorded) empty checksums and hashes are accepted.
 */
export function validateManifest(json: unknown, requireChecksums = true): Manifest {
  if (typeof json !== 'object' || json === null) fail('root', 'expected an object');
  const root = json as { schema?: unknown; programs?: unknown };
  if (root.schema !== 1) fail('root', `unsupported schema ${JSON.stringify(root.schema)} (expected 1)`);
  if (!Array.isArray(root.programs) || root.programs.length === 0) fail('root', 'expected a non-empty "programs" array');
  const seen = new Set<string>();
  const programs = root.programs.map((raw: unknown, index: number): ProgramEntry => {
    const where = `programs[${index}]`;
    if (typeof raw !== 'object' || raw === null) fail(where, 'expected an object');
    const p = raw as Record<string, unknown>;
    const name = expectString(p.name, `${where}.name`);
    if (!/^[a-z0-9_]+$/.test(name)) fail(`${where}.name`, `"${name}" must be lower-case letters, digits, underscores`);
    if (seen.has(name)) fail(`${where}.name`, `duplicate program "${name}"`);
    seen.add(name);
    const result = p.result;
    if (result !== 'i32' && result !== 'i64') fail(`${name}.result`, `expected "i32" or "i64", got ${JSON.stringify(result)}`);
    const sha = typeof p.sha256 === 'string' ? p.sha256 : fail(`${name}.sha256`, 'expected a string');
    if (requireChecksums ? !/^[0-9a-f]{64}$/.test(sha) : sha !== '' && !/^[0-9a-f]{64}$/.test(sha)) {
      fail(`${name}.sha256`, `expected 64 hex digits, got "${sha}" (run bench/build.sh)`);
    }
    if (typeof p.sizes !== 'object' || p.sizes === null) fail(`${name}.sizes`, 'expected an object');
    const rawSizes = p.sizes as Record<string, unknown>;
    const sizes = {} as Record<SizeClass, ProgramSize>;
    for (const size of SIZE_CLASSES) {
      const s = rawSizes[size] as { n?: unknown; checksum?: unknown } | undefined;
      if (typeof s !== 'object' || s === null) fail(`${name}.sizes`, `missing size "${size}"`);
      if (typeof s.n !== 'number' || !Number.isInteger(s.n) || s.n < 0 || s.n > 0x7fffffff) {
        fail(`${name}.sizes.${size}.n`, `expected a non-negative i32, got ${JSON.stringify(s.n)}`);
      }
      const checksum = typeof s.checksum === 'string' ? s.checksum : fail(`${name}.sizes.${size}.checksum`, 'expected a string');
      const ok = CHECKSUM_PATTERN[result].test(checksum) || (!requireChecksums && checksum === '');
      if (!ok) fail(`${name}.sizes.${size}.checksum`, `"${checksum}" is not a ${result} checksum like ${result === 'i32' ? '0x0123abcd' : '0x0123456789abcdef'} (run bench/build.sh)`);
      sizes[size] = { n: s.n, checksum };
    }
    return {
      name,
      description: expectString(p.description, `${name}.description`),
      source: expectString(p.source, `${name}.source`),
      wasm: expectString(p.wasm, `${name}.wasm`),
      sha256: sha,
      entry: expectString(p.entry, `${name}.entry`),
      result,
      sizes,
    };
  });
  return { schema: 1, programs };
}

export function loadManifest(programsDir: string, requireChecksums = true): Manifest {
  const path = join(programsDir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateManifest(json, requireChecksums);
}

/** Reads a program's .wasm and checks it is the module the manifest's checksums were recorded for. */
export function loadProgramBytes(programsDir: string, program: ProgramEntry): Uint8Array {
  const path = join(programsDir, program.wasm);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ManifestError(`cannot read ${path}: ${(error as Error).message} (run bench/build.sh)`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== program.sha256) {
    throw new ManifestError(`${path} has sha256 ${actual} but the manifest records ${program.sha256}: rebuild with bench/build.sh`);
  }
  return bytes;
}

/** Selects programs by name, in manifest order; unknown names are an error listing the known ones. */
export function selectPrograms(manifest: Manifest, names: readonly string[] | undefined): ProgramEntry[] {
  if (names === undefined || names.length === 0) return [...manifest.programs];
  const known = new Map(manifest.programs.map((p) => [p.name, p]));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ManifestError(`unknown program(s) ${unknown.join(', ')}; known: ${[...known.keys()].join(', ')}`);
  }
  return manifest.programs.filter((p) => names.includes(p.name));
}
