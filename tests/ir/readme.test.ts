/** The IR examples in src/ir/README.md must parse, verify and print back unchanged. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFunction, printFunction, verifyFunction } from '../../src/ir/index.js';

const readme = readFileSync(fileURLToPath(new URL('../../src/ir/README.md', import.meta.url)), 'utf8');
const examples = [...readme.matchAll(/```\n(function %[\s\S]*?\n})\n```/g)].map((m) => m[1]! + '\n');

describe('README examples', () => {
  it('has IR text examples', () => {
    expect(examples.length).toBe(2);
  });
  for (const text of examples) {
    it(`round-trips ${text.slice(0, text.indexOf('{'))}`, () => {
      const func = parseFunction(text);
      expect(verifyFunction(func)).toEqual([]);
      expect(printFunction(func)).toBe(text);
    });
  }
});
