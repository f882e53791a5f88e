/**
 * Every function of every valid module of the Wasm 2.0 spec suite translates to IR that passes the IR verifier:
 * with fuel off, with each fuel strategy (and trap-fuel mode), with epoch checks, and after the IR pass pipeline
 * (level 2). Modules that use SIMD are skipped and counted (the translator does not support SIMD yet); so are
 * functions with a huge br_table (translate-test-support.ts). Prints the counts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CompileError, parseAndValidate, type ModuleInfo } from '../../src/frontend/index.js';
import { FunctionTranslator, type TranslateOptions } from '../../src/frontend/translate.js';
import { verifyFunction, type IrFunction } from '../../src/ir/index.js';
import { runPasses } from '../../src/ir/passes/index.js';
import { allValidSpecModules, SPEC_AVAILABLE, SPEC_DIR } from './spec-dir.js';
import { hasHugeBrTable } from './translate-test-support.js';

const CONFIGS: { label: string; options: TranslateOptions; optimize?: boolean }[] = [
  { label: 'fuel off, then IR passes level 2', options: {}, optimize: true },
  { label: 'fuel variable + epoch', options: { fuel: 'variable', epoch: true } },
  { label: 'fuel memory', options: { fuel: 'memory' } },
  { label: 'fuel memory, trap fuel annotated, epoch, then IR passes level 2', options: { fuel: 'memory', trapFuel: 'annotate', epoch: true }, optimize: true },
];

const totals = { modules: 0, simdModules: 0, functions: 0, translations: 0, optimized: 0, instructions: 0, blocks: 0, hugeBrTables: 0 };

function isSimdError(e: unknown): boolean {
  return e instanceof CompileError && /SIMD/.test(e.message);
}

/** Translates every defined function with `options`; returns failures (messages) or 'simd'. */
function translateAll(module: ModuleInfo, options: TranslateOptions, optimize: boolean, t: FunctionTranslator, huge: Set<number>): string[] | 'simd' {
  const failures: string[] = [];
  for (let f = module.numImportedFunctions; f < module.functions.length; f++) {
    if (huge.has(f)) continue;
    let ir: IrFunction;
    try {
      ir = t.translate(module, f, options);
    } catch (e) {
      if (isSimdError(e)) return 'simd';
      failures.push(`function ${f}: ${(e as Error).stack ?? e}`);
      continue;
    }
    const errors = verifyFunction(ir);
    if (errors.length > 0) failures.push(`function ${f}: ${errors.slice(0, 5).join('; ')}`);
    totals.translations++;
    totals.instructions += ir.countInsts();
    totals.blocks += ir.countBlocks();
    if (optimize && errors.length === 0) {
      runPasses(ir, 2);
      const after = verifyFunction(ir);
      if (after.length > 0) failures.push(`function ${f} after passes: ${after.slice(0, 5).join('; ')}`);
      totals.optimized++;
    }
  }
  return failures;
}

describe.skipIf(!SPEC_AVAILABLE)(`translating the spec suite (${SPEC_DIR})`, () => {
  const modules = SPEC_AVAILABLE ? allValidSpecModules() : [];

  it('translates and verifies every function of every valid non-SIMD module, in every configuration', () => {
    const t = new FunctionTranslator();
    const failures: string[] = [];
    for (const { name, bytes } of modules) {
      const module = parseAndValidate(bytes);
      const huge = new Set<number>();
      for (let f = module.numImportedFunctions; f < module.functions.length; f++) if (hasHugeBrTable(module, f)) huge.add(f);
      totals.hugeBrTables += huge.size;
      let simd = false;
      for (const { label, options, optimize } of CONFIGS) {
        const result = translateAll(module, options, optimize === true, t, huge);
        if (result === 'simd') {
          simd = true;
          break;
        }
        for (const f of result) failures.push(`${name} (${label}) ${f}`);
      }
      if (simd) totals.simdModules++;
      else {
        totals.modules++;
        totals.functions += module.numDefinedFunctions;
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // The suite's non-SIMD modules hold thousands of functions: a vacuous pass (nothing translated) must fail.
    expect(totals.functions).toBeGreaterThan(4000);
  });

  afterAll(() => {
    console.log(
      `translate spec suite: ${totals.modules} modules (${totals.functions} functions) translated and verified in ` +
        `${CONFIGS.length} configurations (${totals.translations} translations, ${totals.instructions} IR instructions, ` +
        `${totals.blocks} blocks; ${totals.optimized} also verified after the level-2 passes); ` +
        `${totals.simdModules} SIMD modules and ${totals.hugeBrTables} functions with a huge br_table skipped`,
    );
  });
});
