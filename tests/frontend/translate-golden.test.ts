/**
 * Golden filetests for the translator: tests/filetests/translate/NAME.wat (wasm text) → NAME.ir (expected IR text),
 * compared exactly. Each `;; run: fuel=<off|variable|memory> [trapFuel=annotate] [epoch]` line of the .wat file is one configuration;
 * the .ir file holds, per configuration, a `;; run:` header and every defined function, printed.
 *
 * Regenerate on purpose only: `UPDATE_GOLDEN=1 npx vitest run tests/frontend/translate-golden.test.ts`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAndValidate } from '../../src/frontend/index.js';
import { translateFunction, type TranslateOptions } from '../../src/frontend/translate.js';
import { parseFunctions, printFunction, verifyFunction } from '../../src/ir/index.js';
import { wat } from './wasm-builder.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../filetests/translate');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function runLines(source: string): { line: string; options: TranslateOptions }[] {
  const runs: { line: string; options: TranslateOptions }[] = [];
  for (const m of source.matchAll(/^;; run:(.*)$/gm)) {
    const options: TranslateOptions = {};
    for (const word of m[1].trim().split(/\s+/)) {
      if (word === 'epoch') options.epoch = true;
      else if (word.startsWith('fuel=')) options.fuel = word.slice(5) as TranslateOptions['fuel'];
      else if (word.startsWith('trapFuel=')) options.trapFuel = word.slice(9) as TranslateOptions['trapFuel'];
      else throw new Error(`unknown run option '${word}'`);
    }
    runs.push({ line: m[0], options });
  }
  return runs;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.wat')).sort();

describe('translator golden filetests', () => {
  it('has the filetests', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s', async (file) => {
    const source = readFileSync(join(DIR, file), 'utf8');
    const runs = runLines(source);
    expect(runs.length).toBeGreaterThan(0);
    const module = parseAndValidate(await wat(source));
    let actual = '';
    let functions = 0;
    for (const { line, options } of runs) {
      actual += `${line}\n\n`;
      for (let f = module.numImportedFunctions; f < module.functions.length; f++) {
        const ir = translateFunction(module, f, options);
        expect(verifyFunction(ir), `${file} ${line} function ${f}`).toEqual([]);
        actual += printFunction(ir) + '\n';
        functions++;
      }
    }
    const goldenPath = join(DIR, file.replace(/\.wat$/, '.ir'));
    if (UPDATE || !existsSync(goldenPath)) {
      writeFileSync(goldenPath, actual);
      if (!UPDATE) throw new Error(`${goldenPath} did not exist: written; check it and run again`);
    }
    const expected = readFileSync(goldenPath, 'utf8');
    expect(actual).toBe(expected);
    // The golden text is valid IR text: it parses back into as many functions, each of which verifies.
    const parsed = parseFunctions(expected);
    expect(parsed.length).toBe(functions);
    for (const p of parsed) expect(verifyFunction(p)).toEqual([]);
  });
});
