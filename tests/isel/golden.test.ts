// Golden filetests for instruction selection: tests/filetests/isel/*.ir hold IR text in and the expected VCode and
// disassembly (capstone, Intel syntax) out, compared exactly.
//
// File format:
//   ; <what the test shows>          (comment lines before the function(s) are kept)
//   ; cpu: baseline                   (optional: compile for the SSE2-only baseline instead of a modern CPU)
//   function %f(...) { ... }          (one or more functions; function i gets index i)
//   ; ==== expected ====
//   ; <vcode and listing, each line prefixed with "; ">
//
// To regenerate after an intended change, run with UPDATE_GOLDEN=1:
//   UPDATE_GOLDEN=1 npx vitest run tests/isel/golden.test.ts
// and review the diff before committing. Without the flag a mismatch fails the test.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_CPU_FEATURES } from '../../src/x64/index.js';
import { lowerFunction, printVCode } from '../../src/isel/index.js';
import { MODERN_CPU, compileModule, ensureDisassembler, listing, parseAndVerify } from './helpers.js';

const DIR = join(import.meta.dirname, '..', 'filetests', 'isel');
const MARKER = '; ==== expected ====';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function render(source: string): string {
  const cpu = /^; cpu: baseline$/m.test(source) ? BASELINE_CPU_FEATURES : MODERN_CPU;
  const parts: string[] = [];
  for (const f of parseAndVerify(source)) parts.push(printVCode(lowerFunction(f, { cpu })).trimEnd());
  parts.push(listing(compileModule(source, { cpu })));
  return parts.join('\n\n');
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort();

describe('isel golden filetests', () => {
  beforeAll(async () => {
    await ensureDisassembler();
  });

  it('has filetests', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    it(file, () => {
      const path = join(DIR, file);
      const text = readFileSync(path, 'utf8');
      const at = text.indexOf(MARKER);
      const source = at < 0 ? text : text.slice(0, at);
      const actual = render(source);
      const expected =
        at < 0
          ? ''
          : text
              .slice(at + MARKER.length)
              .split('\n')
              .filter((l) => l.startsWith(';'))
              .map((l) => l.replace(/^; ?/, ''))
              .join('\n');
      if (UPDATE) {
        const body = actual
          .split('\n')
          .map((l) => (l === '' ? ';' : `; ${l}`))
          .join('\n');
        writeFileSync(path, `${source.trimEnd()}\n\n${MARKER}\n${body}\n`);
        return;
      }
      expect(at, `${file} has no expected output; run with UPDATE_GOLDEN=1`).toBeGreaterThanOrEqual(0);
      expect(actual).toBe(expected);
    });
  }
});
