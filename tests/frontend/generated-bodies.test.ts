/**
 * Differential test on generated function bodies (body-generator.ts): thousands of mostly-valid random bodies, and
 * mutations of them, must get the same verdict from kindling and from V8 — the rules for control flow, branches,
 * unreachable code, calls, references, tables and SIMD all get exercised with V8 as the oracle.
 *
 * GEN_BODIES (default 2000) and GEN_SEED (default 1) make longer or different runs reproducible.
 */
import { describe, expect, it } from 'vitest';
import { CompileError, parseAndValidate } from '../../src/frontend/index.js';
import { generateModule } from './body-generator.js';
import { makeRng, mutate } from './mutate.js';

const COUNT = Number(process.env.GEN_BODIES ?? 2000);
const SEED = Number(process.env.GEN_SEED ?? 1);

function ours(bytes: Uint8Array): [boolean, string] {
  try {
    parseAndValidate(bytes);
    return [true, ''];
  } catch (e) {
    if (e instanceof CompileError) return [false, e.message];
    throw e;
  }
}

describe('generated bodies: kindling agrees with V8', () => {
  it(`${COUNT} generated modules and as many mutants`, () => {
    const rng = makeRng(SEED);
    const disagreements: string[] = [];
    let valid = 0;
    let mutantsValid = 0;
    for (let i = 0; i < COUNT; i++) {
      const bytes = generateModule(rng);
      const [ok, why] = ours(bytes);
      if (ok) valid++;
      if (ok !== WebAssembly.validate(bytes)) disagreements.push(`module ${i}: kindling ${ok ? 'accepts' : `rejects (${why})`}, V8 does not agree`);
      const mutant = mutate(bytes, rng);
      const [mok, mwhy] = ours(mutant);
      if (mok) mutantsValid++;
      if (mok !== WebAssembly.validate(mutant)) disagreements.push(`mutant ${i}: kindling ${mok ? 'accepts' : `rejects (${mwhy})`}, V8 does not agree`);
    }
    console.log(`generated bodies (seed ${SEED}): ${valid}/${COUNT} valid, mutants ${mutantsValid}/${COUNT} valid, ${disagreements.length} disagreements with V8`);
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The generator must mostly produce valid code, or the test would only exercise error paths.
    expect(valid).toBeGreaterThan(COUNT * 0.5);
  });
});
