/**
 * Golden filetests for the passes: each file in tests/filetests/passes/ holds
 *
 *   ; passes: licm gvn            (pass names run in order, or `opt1` / `opt2` for a whole pipeline)
 *   ; any other comment lines
 *   function %f(...) { ... }      (input IR)
 *   ; ---- expected ----
 *   function %f(...) { ... }      (the printed result, compared exactly)
 *
 * The verifier must accept the input and the result of every pass. When a file has `; run:` lines
 * (`; run: 1, 2, 0x10` = arguments as integers/bit patterns), the input and output are also interpreted on those
 * arguments (with 4 KiB of zeroed memory) and must return the same values.
 *
 * Expected sections are rewritten only on purpose: UPDATE_GOLDEN=1 npx vitest run tests/ir/passes/filetests.test.ts
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFunction, printFunction } from '../../../src/ir/index.js';
import { interpret } from '../../../src/ir/interpret.js';
import { PASS_NAMES, pipelineFor, runPass, type PassName } from '../../../src/ir/passes/index.js';
import { assertValid } from './helpers.js';

const DIR = join(import.meta.dirname, '../../filetests/passes');
const MARKER = '; ---- expected ----';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function passesOf(header: string, file: string): PassName[] {
  const m = /^; passes:(.*)$/m.exec(header);
  if (m === null) throw new Error(`${file}: missing '; passes: ...' line`);
  const out: PassName[] = [];
  for (const word of m[1]!.trim().split(/\s+/)) {
    if (word === 'opt1' || word === 'opt2') out.push(...pipelineFor(word === 'opt1' ? 1 : 2));
    else if ((PASS_NAMES as readonly string[]).includes(word)) out.push(word as PassName);
    else throw new Error(`${file}: unknown pass '${word}'`);
  }
  return out;
}

function runArgs(header: string): bigint[][] {
  const sets: bigint[][] = [];
  for (const m of header.matchAll(/^; run:(.*)$/gm)) sets.push(m[1]!.split(',').map((s) => BigInt(s.trim())));
  return sets;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort();

describe('pass filetests', () => {
  it('has the golden files the brief asks for', () => {
    expect(files).toContain('gvn-repeated-load.ir');
    expect(files).toContain('licm-heap-base.ir');
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    it(file, () => {
      const path = join(DIR, file);
      const content = readFileSync(path, 'utf8');
      const at = content.indexOf(MARKER);
      const input = at >= 0 ? content.slice(0, at) : content;
      const expected = at >= 0 ? content.slice(at + MARKER.length).replace(/^\n/, '') : '';
      const passes = passesOf(input, file);
      const func = parseFunction(input);
      assertValid(func, `${file} input`);
      const original = parseFunction(input);
      for (const p of passes) {
        runPass(func, p);
        assertValid(func, `${file} after ${p}`);
      }
      func.dfg.resolveAllAliases();
      const actual = printFunction(func);
      for (const args of runArgs(input)) {
        // 4 KiB of zeroed memory: a vmctx argument of 0 makes VMContext accesses read zeros.
        const before = interpret(original, args, { memory: new Uint8Array(4096) });
        const after = interpret(func, args, { memory: new Uint8Array(4096) });
        expect(after, `${file}: run ${args.join(', ')}`).toEqual(before);
      }
      if (UPDATE) {
        writeFileSync(path, `${input.replace(/\s*$/, '\n')}${MARKER}\n${actual}`);
        return;
      }
      expect(actual, `${file} (regenerate with UPDATE_GOLDEN=1 if the change is intended)`).toBe(expected);
    });
  }
});
