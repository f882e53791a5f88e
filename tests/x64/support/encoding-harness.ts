// Runs generated encoding cases in one batch: emit all into one Assembler, disassemble once with capstone, then
// compare every instruction's offset, length and text with the case's independently rendered expectation.

import { Assembler } from '../../../src/x64/assembler.js';
import { disassemble, type DisassembledInstruction } from '../../../src/x64/disassemble.js';
import { normalizeText } from './intel-syntax.js';

export interface EncodingCase {
  readonly emit: (a: Assembler) => void;
  /** Expected capstone text (immediates as immTok), or a function of the instruction's end offset (RIP-relative). */
  readonly text: string | ((end: number) => string);
  /** Expected length in bytes from the independent model. */
  readonly length: number;
  /** Width used to compare immediates (default 64). */
  readonly immBits?: number;
}

export interface BatchResult {
  readonly count: number;
  readonly failures: string[];
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

export function runCases(cases: readonly EncodingCase[], maxFailures = 20): BatchResult {
  const a = new Assembler(cases.length * 12 + 64);
  const ripTarget = a.newLabel(); // label 0: RIP-relative test operands point here
  a.bind(ripTarget);
  const starts = new Int32Array(cases.length + 1);
  const failures: string[] = [];
  for (let i = 0; i < cases.length; i++) {
    starts[i] = a.offset;
    try {
      cases[i]!.emit(a);
    } catch (e) {
      failures.push(`case ${i} (${describe(cases[i]!, 0)}): threw ${(e as Error).message}`);
      if (failures.length >= maxFailures) return { count: cases.length, failures };
    }
  }
  starts[cases.length] = a.offset;
  const code = a.finish();
  const listing = disassemble(code.bytes);
  const byOffset = new Map<number, DisassembledInstruction>();
  for (const insn of listing) byOffset.set(insn.offset, insn);

  for (let i = 0; i < cases.length && failures.length < maxFailures; i++) {
    const c = cases[i]!;
    const start = starts[i]!;
    const end = starts[i + 1]!;
    const bytes = code.bytes.subarray(start, end);
    const expected = describe(c, end);
    let insn = byOffset.get(start);
    if (insn === undefined || insn.offset + insn.bytes.length !== end) {
      // The batch lost sync (a wrong length); decode this instruction alone for the message.
      insn = disassemble(bytes.slice())[0];
    }
    const actual = insn === undefined ? '<nothing decoded>' : normalizeText(insn.text, c.immBits ?? 64);
    const problems: string[] = [];
    if (end - start !== c.length) problems.push(`length ${end - start}, expected ${c.length}`);
    if (insn === undefined || insn.bytes.length !== end - start) problems.push(`capstone decoded ${insn?.bytes.length ?? 0} bytes`);
    if (actual !== expected) problems.push(`text "${actual}"`);
    if (problems.length > 0) failures.push(`case ${i} "${expected}" [${hex(bytes)}]: ${problems.join('; ')}`);
  }
  return { count: cases.length, failures };
}

function describe(c: EncodingCase, end: number): string {
  return typeof c.text === 'string' ? c.text : c.text(end);
}
