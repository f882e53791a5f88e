/**
 * Mutation fuzzing and differential testing against V8.
 *
 * Thousands of seeded mutations of the spec suite's valid modules must each end, within a time bound, in a module or a
 * CompileError — never another exception. And our `validate` must agree with Node's own `WebAssembly.validate`,
 * except where V8 deliberately differs from Wasm 2.0; each such difference is classified below and counted.
 *
 * FUZZ_MUTANTS (default 6000) and FUZZ_SEED (default 1) make longer or different runs reproducible.
 */
import { describe, expect, it } from 'vitest';
import { CompileError, parseAndValidate, validate } from '../../src/frontend/index.js';
import { makeRng, mutate } from './mutate.js';
import { allValidSpecModules, SPEC_AVAILABLE } from './spec-dir.js';

const MUTANTS = Number(process.env.FUZZ_MUTANTS ?? 6000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
/** Per-module bound (ms): generous for a shared 2-core machine, far below anything a hang or blow-up would take. */
const TIME_BOUND_MS = 250;

/**
 * Known, intended differences. V8 (Node 20) ships proposals beyond Wasm 2.0 — exception handling, tail calls,
 * threads (shared memories, atomics) — so modules using them are valid for V8 and invalid Wasm 2.0. Each entry matches
 * our rejection reason for a module V8 accepts.
 */
const V8_EXTENSIONS: [label: string, ourReason: RegExp][] = [
  ['exception handling (tag section)', /^malformed section id 13\b/],
  ['exception handling / tail calls (opcodes 0x06–0x09, 0x12, 0x13, 0x18, 0x19)', /^illegal opcode 0x(06|07|08|09|12|13|18|19)$/],
  ['threads (atomics 0xfe prefix)', /^illegal opcode 0xfe\b/],
  ['threads (shared memory limits flags 2, 3)', /malformed limits flags 0x[23]\b/],
];

/** Differences where V8 rejects what Wasm 2.0 allows: V8's implementation limits. Matched against V8's message. */
const V8_LIMITS: [label: string, v8Message: RegExp][] = [
  ['V8 implementation limit', /exceeds internal limit|implementation limit|maximum/i],
];

function v8Error(bytes: Uint8Array<ArrayBuffer>): string {
  try {
    new WebAssembly.Module(bytes);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe.skipIf(!SPEC_AVAILABLE)('mutation fuzz + differential vs V8', () => {
  const seeds = SPEC_AVAILABLE ? allValidSpecModules() : [];

  it('V8 and kindling both accept every valid spec module', () => {
    const v8Rejects = seeds.filter((s) => !WebAssembly.validate(s.bytes)).map((s) => s.name);
    const ourRejects = seeds.filter((s) => !validate(s.bytes)).map((s) => s.name);
    expect(seeds.length).toBeGreaterThan(1700);
    expect(ourRejects).toEqual([]);
    expect(v8Rejects).toEqual([]);
  });

  it(`${MUTANTS} seeded mutants: a module or a CompileError, in bounded time, agreeing with V8`, () => {
    const rng = makeRng(SEED);
    const explained = new Map<string, number>();
    const unexplained: string[] = [];
    const crashes: string[] = [];
    let accepted = 0;
    let rejected = 0;
    let slowest = 0;
    let slowestName = '';
    const t0 = performance.now();
    for (let i = 0; i < MUTANTS; i++) {
      const seed = seeds[Math.floor(rng() * seeds.length)];
      const bytes = mutate(seed.bytes, rng);
      const name = `mutant ${i} of ${seed.name}`;
      let ours = false;
      let reason = '';
      const start = performance.now();
      try {
        parseAndValidate(bytes);
        ours = true;
      } catch (e) {
        if (e instanceof CompileError) reason = e.reason;
        else crashes.push(`${name}: ${String(e)}\n${(e as Error).stack ?? ''}`);
      }
      const ms = performance.now() - start;
      if (ms > slowest) {
        slowest = ms;
        slowestName = name;
      }
      if (ours) accepted++;
      else rejected++;
      expect(validate(bytes)).toBe(ours);
      const v8 = WebAssembly.validate(bytes);
      if (v8 === ours) continue;
      let label: string | undefined;
      if (v8) label = V8_EXTENSIONS.find(([, re]) => re.test(reason))?.[0];
      else {
        const message = v8Error(bytes);
        label = V8_LIMITS.find(([, re]) => re.test(message))?.[0];
        if (label === undefined) unexplained.push(`${name}: V8 rejects (${message}), kindling accepts`);
      }
      if (label !== undefined) explained.set(label, (explained.get(label) ?? 0) + 1);
      else if (v8) unexplained.push(`${name}: V8 accepts, kindling rejects: ${reason}`);
    }
    const total = performance.now() - t0;
    console.log(
      `fuzz: ${MUTANTS} mutants (seed ${SEED}) in ${total.toFixed(0)} ms: ${accepted} valid, ${rejected} CompileError, ` +
        `${crashes.length} other exceptions; slowest ${slowest.toFixed(1)} ms (${slowestName})\n` +
        `differential vs V8: ${unexplained.length} unexplained disagreements; explained: ` +
        (explained.size === 0 ? 'none' : [...explained].map(([k, n]) => `${k} ×${n}`).join(', ')),
    );
    expect(crashes).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(slowest).toBeLessThan(TIME_BOUND_MS);
  });
});
