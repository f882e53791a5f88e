// Shared helpers for the isel tests: compile IR text and render the machine code as a stable listing.

import { parseFunctions, trapCodeName, verifyFunction, type IrFunction } from '../../src/ir/index.js';
import { BASELINE_CPU_FEATURES, type CpuFeatures, disassemble, loadDisassembler } from '../../src/x64/index.js';
import {
  ModuleCodeBuilder,
  TRAP_RAISE_TARGET,
  type CompileOptions,
  type CompiledModuleCode,
} from '../../src/isel/index.js';

/** A modern x86-64 (SSE4.1, POPCNT, LZCNT, BMI1): the features golden tests assume unless they say otherwise. */
export const MODERN_CPU: CpuFeatures = {
  ...BASELINE_CPU_FEATURES,
  sse3: true,
  ssse3: true,
  sse41: true,
  sse42: true,
  popcnt: true,
  lzcnt: true,
  bmi1: true,
  bmi2: true,
};

export function parseAndVerify(text: string): IrFunction[] {
  const funcs = parseFunctions(text);
  for (const f of funcs) {
    const errors = verifyFunction(f);
    if (errors.length > 0) throw new Error(`IR of ${f.name} does not verify:\n${errors.map(String).join('\n')}`);
  }
  return funcs;
}

/** Compiles every function of `text` into one module (function i gets index i), checking the allocation. */
export function compileModule(text: string, options: CompileOptions = {}): CompiledModuleCode {
  const builder = new ModuleCodeBuilder({ cpu: MODERN_CPU, checkAllocation: true, ...options });
  parseAndVerify(text).forEach((f, i) => builder.addFunction(f, i));
  return builder.finish();
}

export async function ensureDisassembler(): Promise<void> {
  await loadDisassembler();
}

/**
 * A listing of the module's code: one line per instruction (`offset  text`), relocated calls named (`<raise>`,
 * `<func N>`), jump tables shown as data, each function headed by its name, and the trap table at the end.
 */
export function listing(m: CompiledModuleCode): string {
  const lines: string[] = [];
  const relocAt = new Map<number, number>();
  for (const r of m.relocations) relocAt.set(r.offset, r.target);
  for (const f of m.functions) {
    lines.push(`${f.name}:  ; frame ${f.frameSize} bytes`);
    let pos = f.start;
    const ranges = m.dataRanges.filter(([s, e]) => s >= f.start && e <= f.end).sort((x, y) => x[0] - y[0]);
    const pieces: [number, number, boolean][] = [];
    for (const [s, e] of ranges) {
      if (s > pos) pieces.push([pos, s, false]);
      pieces.push([s, e, true]);
      pos = e;
    }
    if (pos < f.end) pieces.push([pos, f.end, false]);
    for (const [s, e, data] of pieces) {
      if (data) {
        const view = new DataView(m.bytes.buffer, m.bytes.byteOffset);
        for (let p = s; p < e; p += 4) lines.push(`  ${hex(p)}  .long ${view.getInt32(p, true)}`);
        continue;
      }
      for (const insn of disassemble(m.bytes.subarray(s, e), { baseAddress: s })) {
        const at = insn.offset + s;
        let text = insn.text;
        if (insn.mnemonic === 'call' && relocAt.has(at + 1)) {
          const target = relocAt.get(at + 1)!;
          text = target === TRAP_RAISE_TARGET ? 'call <raise>' : `call <func ${target}>`;
        }
        if (/^nop|^int3/.test(insn.mnemonic)) text = insn.mnemonic; // alignment padding
        lines.push(`  ${hex(at)}  ${text}`);
      }
    }
  }
  const t = m.trapTable;
  for (let i = 0; i < t.length; i++) {
    const w = t.wasmOffsets[i];
    lines.push(
      `trap ${hex(t.offsets[i])}: ${trapCodeName(t.codes[i])}${w >= 0 ? ` wasm@${w.toString(16)}` : ''}${t.fuel[i] ? ` fuel=${t.fuel[i]}` : ''}`,
    );
  }
  return lines.join('\n');
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
