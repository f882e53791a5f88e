// Issue #5's acceptance run: every function of every valid non-SIMD module of the spec suite lowers, allocates with
// the symbolic checker on (every use reads the value its definition wrote), emits, and capstone decodes every emitted
// instruction byte (everything but the jump tables, which are data), in every fuel mode and at opt levels 0 and 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAndValidate } from '../../src/frontend/index.js';
import { buildModuleMachineCode, type CodegenSettings } from '../../src/runtime/pipeline.js';
import { disassemble } from '../../src/x64/index.js';
import { allValidSpecModules, SPEC_AVAILABLE, SPEC_DIR } from '../frontend/spec-dir.js';
import { ensureDisassembler } from './helpers.js';

const CONFIGS: { label: string; settings: CodegenSettings }[] = [
  { label: 'fuel off, opt 2', settings: { fuel: 'off', epoch: false, optLevel: 2 } },
  { label: 'fuel off, opt 0', settings: { fuel: 'off', epoch: false, optLevel: 0 } },
  { label: 'fuel variable + epoch, opt 2', settings: { fuel: 'variable', epoch: true, optLevel: 2 } },
  { label: 'fuel memory, opt 2', settings: { fuel: 'memory', epoch: false, optLevel: 2 } },
];

const totals = { modules: 0, simdModules: 0, functions: 0, compilations: 0, codeBytes: 0, decodedBytes: 0, instructions: 0, dataBytes: 0 };

/** Decodes [start, end) with capstone; returns the number of instructions, or throws naming the first bad byte. */
function decodeAll(bytes: Uint8Array, start: number, end: number, where: string): number {
  let pos = start;
  let count = 0;
  while (pos < end) {
    const insns = disassemble(bytes.subarray(pos, end), { baseAddress: pos });
    let decoded = 0;
    for (const insn of insns) decoded += insn.bytes.length;
    count += insns.length;
    if (decoded === 0) {
      const hex = Array.from(bytes.subarray(pos, Math.min(end, pos + 8)), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new Error(`${where}: capstone cannot decode the bytes at offset 0x${pos.toString(16)}: ${hex}`);
    }
    pos += decoded;
  }
  if (pos !== end) throw new Error(`${where}: the last instruction runs past the end (0x${pos.toString(16)} > 0x${end.toString(16)})`);
  return count;
}

describe.skipIf(!SPEC_AVAILABLE)(`the backend over the spec suite (${SPEC_DIR})`, () => {
  beforeAll(ensureDisassembler);

  it('lowers, allocates (checker on), emits and decodes every function of every valid non-SIMD module', () => {
    const failures: string[] = [];
    for (const { name, bytes } of allValidSpecModules()) {
      const info = parseAndValidate(bytes);
      let simd = false;
      for (const { label, settings } of CONFIGS) {
        let machine;
        try {
          machine = buildModuleMachineCode(info, settings, { checkAllocation: true }).machine;
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (/SIMD/.test(message)) {
            simd = true;
            break;
          }
          failures.push(`${name} (${label}): ${message}`);
          continue;
        }
        totals.compilations++;
        totals.codeBytes += machine.bytes.length;
        // The raise landing pad, then each function with its jump tables left out.
        const ranges: [number, number][] = [[0, 6]];
        for (const f of machine.functions) {
          let pos = f.start;
          const tables = machine.dataRanges.filter(([s, e]) => s >= f.start && e <= f.end).sort((x, y) => x[0] - y[0]);
          for (const [s, e] of tables) {
            if (s > pos) ranges.push([pos, s]);
            totals.dataBytes += e - s;
            pos = e;
          }
          if (f.end > pos) ranges.push([pos, f.end]);
        }
        try {
          for (const [s, e] of ranges) {
            totals.instructions += decodeAll(machine.bytes, s, e, `${name} (${label})`);
            totals.decodedBytes += e - s;
          }
        } catch (e) {
          failures.push(e instanceof Error ? e.message : String(e));
        }
      }
      if (simd) totals.simdModules++;
      else {
        totals.modules++;
        totals.functions += info.numDefinedFunctions;
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // Thousands of functions and megabytes of code: a vacuous pass (nothing compiled) must fail.
    expect(totals.functions).toBeGreaterThan(4000);
    expect(totals.decodedBytes).toBeGreaterThan(1_000_000);
  });

  afterAll(() => {
    console.log(
      `backend spec suite: ${totals.modules} modules (${totals.functions} functions) × ${CONFIGS.length} configurations ` +
        `(${CONFIGS.map((c) => c.label).join('; ')}): ${totals.compilations} module compilations with the allocation checker, ` +
        `${totals.codeBytes} bytes of machine code, ${totals.decodedBytes} decoded by capstone into ${totals.instructions} ` +
        `instructions (${totals.dataBytes} bytes of jump tables skipped); ${totals.simdModules} SIMD modules skipped`,
    );
  });
});
