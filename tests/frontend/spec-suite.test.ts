/**
 * The Wasm 2.0 core spec suite (SIMD included), binary modules only: every `module` (and every module that is only
 * unlinkable/uninstantiable) must decode and validate; every binary `assert_malformed` and `assert_invalid` must be
 * rejected with a CompileError. Prints the counts, and how many error messages contain the spec's expected text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CompileError, validate, parseAndValidate } from '../../src/frontend/index.js';
import { readSpecCommands, readSpecModule, SPEC_AVAILABLE, SPEC_DIR, specJsonFiles, VALID_MODULE_COMMANDS } from './spec-dir.js';

const totals = { valid: 0, malformed: 0, invalid: 0, textMatches: 0, failures: 0 };
const mismatchedTexts = new Map<string, string>();

describe.skipIf(!SPEC_AVAILABLE)(`spec suite (${SPEC_DIR})`, () => {
  const files = SPEC_AVAILABLE ? specJsonFiles() : [];

  it('has all 147 script files', () => {
    expect(files.length).toBe(147);
  });

  it.each(files)('%s', (file) => {
    const failures: string[] = [];
    for (const cmd of readSpecCommands(file)) {
      if (!cmd.filename || cmd.module_type === 'text') continue;
      const where = `${file}:${cmd.line} ${cmd.filename}`;
      if (VALID_MODULE_COMMANDS.has(cmd.type)) {
        try {
          parseAndValidate(readSpecModule(cmd.filename));
          totals.valid++;
        } catch (e) {
          failures.push(`${where}: valid module rejected: ${(e as Error).message}`);
        }
      } else if (cmd.type === 'assert_malformed' || cmd.type === 'assert_invalid') {
        const bytes = readSpecModule(cmd.filename);
        let error: unknown = null;
        try {
          parseAndValidate(bytes);
        } catch (e) {
          error = e;
        }
        if (!(error instanceof CompileError)) {
          failures.push(`${where}: ${cmd.type} "${cmd.text}" ${error ? `threw ${String(error)}` : 'was accepted'}`);
          continue;
        }
        expect(validate(bytes)).toBe(false);
        if (cmd.type === 'assert_malformed') totals.malformed++;
        else totals.invalid++;
        if (cmd.text && error.reason.includes(cmd.text)) totals.textMatches++;
        else if (cmd.text && !mismatchedTexts.has(cmd.text)) mismatchedTexts.set(cmd.text, `${where}: ${error.message}`);
      }
    }
    totals.failures += failures.length;
    expect(failures).toEqual([]);
  });

  afterAll(() => {
    const rejected = totals.malformed + totals.invalid;
    console.log(
      `spec suite: ${totals.valid} valid modules validated, ${totals.malformed} assert_malformed and ` +
        `${totals.invalid} assert_invalid rejected with CompileError; ${totals.failures} failures; ` +
        `${totals.textMatches}/${rejected} error reasons contain the spec's expected text`,
    );
    if (mismatchedTexts.size > 0) {
      console.log('expected texts not matched (one example each):\n' + [...mismatchedTexts].map(([t, ex]) => `  "${t}" ← ${ex}`).join('\n'));
    }
  });
});
