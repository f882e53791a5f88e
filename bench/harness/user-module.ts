// `kindling bench FILE.wasm --invoke NAME [--arg N]`: benchmarks a user's own module with the same harness. The module
// is wrapped as a one-program manifest in a temporary directory: its expected result is what V8 returns (computed
// here, in-process), so every engine must agree with V8 — the same loud checksum and fuel checks as the bundled
// programs. The entry must take at most one i32 and return one i32 or i64, and the module must need no imports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseModule } from '../../src/frontend/index.js';
import { ExternalKind } from '../../src/frontend/module-info.js';
import { ValType } from '../../src/frontend/value-types.js';
import { ManifestError, formatChecksum, sha256Hex, type ResultType } from './manifest.js';

export interface UserModule {
  readonly file: string;
  readonly entry: string;
  readonly arg: number;
}

/** Writes a programs directory (manifest + module) for `user`; returns its path and the program's name. */
export function prepareUserModule(user: UserModule): { programsDir: string; program: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(user.file);
  } catch (error) {
    throw new ManifestError(`cannot read ${user.file}: ${(error as Error).message}`);
  }
  const info = parseModule(bytes);
  const exported = info.exports.find((e) => e.name === user.entry && e.kind === ExternalKind.FUNCTION);
  if (exported === undefined) throw new ManifestError(`${user.file} exports no function "${user.entry}"`);
  const type = info.functionType(exported.index);
  const paramsOk = type.params.length === 0 || (type.params.length === 1 && type.params[0] === ValType.I32);
  const result = type.results.length === 1 ? type.results[0] : undefined;
  if (!paramsOk || (result !== ValType.I32 && result !== ValType.I64)) {
    throw new ManifestError(`"${user.entry}" must take at most one i32 and return one i32 or i64 to be benchmarked`);
  }
  if (info.imports.length > 0) throw new ManifestError(`${user.file} has imports; kindling bench runs modules without imports`);
  const resultType: ResultType = result === ValType.I32 ? 'i32' : 'i64';

  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {});
  const value = (instance.exports[user.entry] as (n: number) => number | bigint)(user.arg);
  const checksum = formatChecksum(value, resultType);

  const name = basename(user.file).replace(/\.wasm$/, '') || 'module';
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-user-'));
  writeFileSync(join(dir, `${name}.wasm`), bytes);
  const size = { n: user.arg, checksum };
  const manifest = {
    schema: 1,
    programs: [
      {
        name,
        description: `${user.file}: ${user.entry}(${user.arg})`,
        source: basename(user.file),
        wasm: `${name}.wasm`,
        sha256: sha256Hex(bytes),
        entry: user.entry,
        result: resultType,
        sizes: { tiny: size, quick: size, default: size },
      },
    ],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { programsDir: dir, program: name };
}
