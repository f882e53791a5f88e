// Where the harness finds its programs and writes its results, wherever it runs from (bench/harness/*.ts under
// vitest, dist/bench/harness/*.js after tsc): walk up from this file to the checkout that holds bench/programs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestError } from './manifest.js';

const MANIFEST_RELATIVE = join('bench', 'programs', 'manifest.json');

/** The checkout root above `startDir` that contains bench/programs/manifest.json, or undefined. */
export function findBenchRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, MANIFEST_RELATIVE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** bench/programs of the enclosing checkout; throws a clear error when there is none. */
export function defaultProgramsDir(): string {
  const root = findBenchRoot();
  if (root === undefined) {
    throw new ManifestError(`cannot find ${MANIFEST_RELATIVE} above ${dirname(fileURLToPath(import.meta.url))}; pass --programs-dir`);
  }
  return join(root, 'bench', 'programs');
}

/** bench/results of the enclosing checkout (created on write). */
export function defaultResultsDir(): string {
  return join(dirname(defaultProgramsDir()), 'results');
}
