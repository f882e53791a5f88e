import { describe, expect, it } from 'vitest';
import { ExternalKind, parseAndValidate } from '../../src/frontend/index.js';
import { HANG_LIMIT_RESET, planCalls } from './call-plan.js';
import { findWasmOpt, FuzzModuleGenerator } from './fuzz-module.js';

const wasmOpt = findWasmOpt();
const SKIP = 'skipped: wasm-opt (binaryen) not on PATH; scripts/install-system-deps.sh installs it';

describe.skipIf(wasmOpt === null)('binaryen translate-to-fuzz modules', () => {
  it('are a pure function of the seed', () => {
    const generator = new FuzzModuleGenerator(wasmOpt!);
    try {
      const a = generator.generate(12345);
      expect(generator.generate(12345)).toEqual(a);
      expect(generator.generate(12346)).not.toEqual(a);
      expect(a.length).toBeGreaterThan(100);
    } finally {
      generator.dispose();
    }
  });

  it('are valid Wasm 2.0 for V8 and for kindling, importing only fuzzing-support logs, with a hang-limit reset', () => {
    const generator = new FuzzModuleGenerator(wasmOpt!);
    try {
      for (let seed = 1; seed <= 6; seed++) {
        const bytes = generator.generate(seed);
        expect(WebAssembly.validate(bytes)).toBe(true);
        const info = parseAndValidate(bytes);
        for (const imp of info.imports) {
          expect(imp.kind).toBe(ExternalKind.FUNCTION);
          expect(`${imp.module}.${imp.name}`).toMatch(/^fuzzing-support\.log-(i32|i64|f32|f64)$/);
        }
        const plan = planCalls(bytes, seed, 2);
        expect(plan.unsupported).toBeNull();
        expect(plan.parseError).toBeNull();
        expect(plan.resetExport).toBe(HANG_LIMIT_RESET);
        const functionExports = info.exports.filter((e) => e.kind === ExternalKind.FUNCTION && e.name !== HANG_LIMIT_RESET);
        expect(plan.calls.length).toBe(2 * functionExports.length);
        // The second round calls the same exports with fresh arguments.
        expect(plan.calls.slice(functionExports.length).map((c) => c.exportName)).toEqual(
          plan.calls.slice(0, functionExports.length).map((c) => c.exportName),
        );
      }
    } finally {
      generator.dispose();
    }
  });
});

if (wasmOpt === null) it.skip(SKIP, () => {});
