/**
 * Locates the Wasm 2.0 spec test suite converted to JSON (see its README): WASM_SPEC_DIR, or ../shared/wasm-spec/json
 * next to the repository. Shared by the spec, fuzz and differential tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const SPEC_DIR = process.env.WASM_SPEC_DIR ?? resolve(repoRoot, '../shared/wasm-spec/json');

export const SPEC_AVAILABLE = existsSync(SPEC_DIR) && readdirSync(SPEC_DIR).some((f) => f.endsWith('.json'));

if (!SPEC_AVAILABLE) {
  console.warn(`\n*** Wasm spec suite not found at ${SPEC_DIR} (set WASM_SPEC_DIR): spec-based frontend tests are SKIPPED ***\n`);
}

export interface SpecCommand {
  type: string;
  line: number;
  filename?: string;
  module_type?: string;
  text?: string;
}

export function specJsonFiles(): string[] {
  return readdirSync(SPEC_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readSpecCommands(jsonFile: string): SpecCommand[] {
  return (JSON.parse(readFileSync(join(SPEC_DIR, jsonFile), 'utf8')) as { commands: SpecCommand[] }).commands;
}

export function readSpecModule(filename: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(SPEC_DIR, filename)));
}

/** Commands whose module must be valid: plain modules, and those that only fail to link or instantiate. */
export const VALID_MODULE_COMMANDS = new Set(['module', 'assert_unlinkable', 'assert_uninstantiable']);

/** Every valid binary module of the suite, in a stable order. */
export function allValidSpecModules(): { name: string; bytes: Uint8Array<ArrayBuffer> }[] {
  const out: { name: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  for (const file of specJsonFiles()) {
    for (const cmd of readSpecCommands(file)) {
      if (VALID_MODULE_COMMANDS.has(cmd.type) && cmd.filename && cmd.module_type !== 'text') {
        out.push({ name: cmd.filename, bytes: readSpecModule(cmd.filename) });
      }
    }
  }
  return out;
}
