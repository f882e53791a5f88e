// Code buffer: labels, branch relaxation at the rel8 boundaries, cascades and alignment, the constant pool,
// relocations, jump tables and offset translation; checked by disassembly and by arithmetic on the bytes.

import { beforeAll, describe, expect, it } from 'vitest';
import { Assembler } from '../../src/x64/assembler.js';
import { ripRel } from '../../src/x64/amode.js';
import { RelocKind } from '../../src/x64/code-buffer.js';
import { Cond } from '../../src/x64/condition-codes.js';
import { disassemble, loadDisassembler, type DisassembledInstruction } from '../../src/x64/disassemble.js';
import { SseOp } from '../../src/x64/opcodes.js';
import { RAX, RCX, R9, XMM0, XMM1, XMM7 } from '../../src/x64/registers.js';

beforeAll(async () => {
  await loadDisassembler();
});

const i32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getInt32(at, true);

/** The branch instruction at `offset` in a listing. */
function insnAt(list: DisassembledInstruction[], offset: number): DisassembledInstruction {
  const insn = list.find((i) => i.offset === offset);
  if (insn === undefined) throw new Error(`no instruction at ${offset}`);
  return insn;
}

function target(insn: DisassembledInstruction): number {
  return Number(insn.operands);
}

describe('branch size selection at the rel8 boundaries', () => {
  for (const kind of ['jmp', 'je'] as const) {
    const shortLen = 2;
    const longLen = kind === 'jmp' ? 5 : 6;
    const emitBranch = (a: Assembler, l: number): void => (kind === 'jmp' ? a.jmp(l) : a.jcc(Cond.E, l));

    for (const gap of [0, 1, 126, 127, 128, 129, 300]) {
      it(`forward ${kind} over ${gap} bytes is ${gap <= 127 ? 'rel8' : 'rel32'}`, () => {
        const a = new Assembler();
        const l = a.newLabel();
        emitBranch(a, l);
        a.nop(gap);
        a.bind(l);
        a.ret();
        const code = a.finish();
        const size = gap <= 127 ? shortLen : longLen;
        expect(code.labelOffset(l)).toBe(size + gap);
        const list = disassemble(code.bytes);
        const j = insnAt(list, 0);
        expect(j.mnemonic).toBe(kind);
        expect(j.bytes.length).toBe(size);
        expect(target(j)).toBe(size + gap);
        expect(code.bytes.length).toBe(size + gap + 1);
      });
    }

    for (const gap of [0, 125, 126, 127, 128, 400]) {
      it(`backward ${kind} over ${gap} bytes is ${gap + 2 <= 128 ? 'rel8' : 'rel32'}`, () => {
        const a = new Assembler();
        const l = a.newLabel();
        a.bind(l);
        a.nop(gap);
        emitBranch(a, l);
        const code = a.finish();
        const size = gap + shortLen <= 128 ? shortLen : longLen;
        const j = insnAt(disassemble(code.bytes), gap);
        expect(j.bytes.length).toBe(size);
        expect(target(j)).toBe(0);
        const rel = size === 2 ? (code.bytes[gap + 1]! << 24) >> 24 : i32(code.bytes, gap + size - 4);
        expect(rel).toBe(-(gap + size));
      });
    }
  }
});

describe('relaxation', () => {
  it('grows a branch pushed out of range by another branch growing (cascade)', () => {
    const a = new Assembler();
    const l1 = a.newLabel();
    const l2 = a.newLabel();
    a.jmp(l1); // 2 + 2 + 123 = 127 bytes to l1 while the second jmp is short...
    a.jmp(l2); // ...but this one cannot stay short, and its growth pushes the first out of range
    a.nop(123);
    a.bind(l1);
    a.nop(200);
    a.bind(l2);
    a.ret();
    const code = a.finish();
    const list = disassemble(code.bytes);
    const j1 = insnAt(list, 0);
    const j2 = insnAt(list, 5);
    expect([j1.bytes.length, j2.bytes.length]).toEqual([5, 5]);
    expect(code.labelOffset(l1)).toBe(5 + 5 + 123);
    expect(code.labelOffset(l2)).toBe(5 + 5 + 123 + 200);
    expect(target(j1)).toBe(code.labelOffset(l1));
    expect(target(j2)).toBe(code.labelOffset(l2));
  });

  it('keeps the short form when a growing branch is outside the span', () => {
    const a = new Assembler();
    const far = a.newLabel();
    const near = a.newLabel();
    a.jmp(far);
    a.jcc(Cond.NE, near);
    a.nop(100);
    a.bind(near);
    a.nop(200);
    a.bind(far);
    const code = a.finish();
    const list = disassemble(code.bytes);
    expect(insnAt(list, 0).bytes.length).toBe(5);
    expect(insnAt(list, 5).bytes.length).toBe(2);
    expect(target(insnAt(list, 5))).toBe(code.labelOffset(near));
  });

  it('re-pads alignment after branches grow; aligned labels stay aligned', () => {
    const a = new Assembler();
    const exit = a.newLabel();
    const loop = a.newLabel();
    a.jcc(Cond.E, exit); // will grow 2 -> 6
    a.aluRI(0, 8, RAX, 1);
    a.align(16);
    a.bind(loop);
    a.aluRI(5, 8, RCX, 1);
    a.jcc(Cond.NE, loop);
    a.nop(200);
    a.bind(exit);
    a.ret();
    const provisionalLoop = 16; // 2 + 4 -> padded to 16 before relaxation
    const code = a.finish();
    expect(code.labelOffset(loop) % 16).toBe(0);
    expect(code.labelOffset(loop)).toBe(16); // 6 + 4 = 10 -> 16
    expect(code.finalOffset(provisionalLoop)).toBe(16);
    const list = disassemble(code.bytes);
    // Everything between the add and the loop header is NOPs.
    for (const insn of list) if (insn.offset >= 10 && insn.offset < 16) expect(insn.mnemonic).toBe('nop');
    expect(target(insnAt(list, 0))).toBe(code.labelOffset(exit));
  });

  it('random programs: every branch lands on its label, short branches fit, aligned labels are aligned', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let shortCount = 0;
    let longCount = 0;
    for (let program = 0; program < 150; program++) {
      const a = new Assembler();
      const labels = Array.from({ length: 12 }, () => a.newLabel());
      const alignedLabels = new Map<number, number>();
      const bindOrder = labels.slice();
      const branches: { provisional: number; label: number }[] = [];
      let next = 0;
      for (let step = 0; step < 60; step++) {
        const what = rand(10);
        if (what < 4) {
          const l = labels[rand(labels.length)]!;
          branches.push({ provisional: a.offset, label: l });
          if (what < 2) a.jmp(l);
          else a.jcc(rand(16) as Cond, l);
        } else if (what < 7) {
          a.nop(1 + rand(60));
        } else if (what < 8) {
          const alignment = 1 << (1 + rand(5));
          a.align(alignment);
          if (next < bindOrder.length && rand(2) === 0) {
            alignedLabels.set(bindOrder[next]!, alignment);
            a.bind(bindOrder[next++]!);
          }
        } else if (next < bindOrder.length) {
          a.bind(bindOrder[next++]!);
        }
      }
      while (next < bindOrder.length) a.bind(bindOrder[next++]!);
      a.ret();
      const code = a.finish();
      const list = disassemble(code.bytes);
      expect(list.reduce((t, i) => t + i.bytes.length, 0)).toBe(code.codeSize);
      for (const b of branches) {
        const insn = insnAt(list, code.finalOffset(b.provisional));
        expect(insn.mnemonic).toMatch(/^j/);
        expect(target(insn)).toBe(code.labelOffset(b.label));
        if (insn.bytes.length === 2) shortCount++;
        else longCount++;
        if (insn.bytes.length === 2) {
          const rel = code.labelOffset(b.label) - (insn.offset + 2);
          expect(rel).toBeGreaterThanOrEqual(-128);
          expect(rel).toBeLessThanOrEqual(127);
        }
      }
      for (const [l, alignment] of alignedLabels) expect(code.labelOffset(l) % alignment).toBe(0);
    }
    // Both outcomes occur often, so the property is exercised on both sides.
    expect(shortCount).toBeGreaterThan(500);
    expect(longCount).toBeGreaterThan(500);
  });
});

describe('constant pool', () => {
  it('deduplicates, aligns, places after the code and resolves RIP displacements', () => {
    const a = new Assembler();
    const c1 = a.constF64Value(1.5);
    const c1again = a.constF64Value(1.5);
    const c2 = a.constF64Value(-0);
    const f = a.constF32Value(1.5); // same value, different width: a different entry
    const v = a.const128(0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff);
    const vAgain = a.const128(0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff);
    expect(c1again).toBe(c1);
    expect(vAgain).toBe(v);
    expect(new Set([c1, c2, f, v]).size).toBe(4);
    expect(a.buf.constantCount).toBe(4);

    a.xmmRM(SseOp.Movsd, XMM0, ripRel(c1));
    a.xmmRM(SseOp.Addsd, XMM0, ripRel(c1again));
    a.xmmRM(SseOp.Andps, XMM7, ripRel(v));
    a.xmmRM(SseOp.Movss, XMM1, ripRel(f));
    a.xmmRM(SseOp.Xorpd, XMM0, ripRel(c2));
    a.ret();
    const code = a.finish();

    const off = (l: number): number => code.labelOffset(l);
    expect(off(v) % 16).toBe(0);
    expect(off(c1) % 8).toBe(0);
    expect(off(c2) % 8).toBe(0);
    expect(off(f) % 4).toBe(0);
    for (const l of [c1, c2, f, v]) expect(off(l)).toBeGreaterThanOrEqual(code.codeSize);
    expect(code.bytes.length).toBe(Math.max(off(v) + 16, off(c1) + 8, off(c2) + 8, off(f) + 4));
    const view = new DataView(code.bytes.buffer);
    expect(view.getFloat64(off(c1), true)).toBe(1.5);
    expect(Object.is(view.getFloat64(off(c2), true), -0)).toBe(true);
    expect(view.getFloat32(off(f), true)).toBe(1.5);
    for (let w = 0; w < 4; w++) expect(view.getUint32(off(v) + w * 4, true)).toBe(0x7fffffff);

    // By disassembly: "[rip + X]" with X = label - end of instruction; and by arithmetic on the rel32 field.
    const list = disassemble(code.bytes, { length: code.codeSize });
    const expectedLabels = [c1, c1, v, f, c2];
    for (let i = 0; i < 5; i++) {
      const insn = list[i]!;
      const end = insn.offset + insn.bytes.length;
      const disp = off(expectedLabels[i]!) - end;
      expect(insn.operands).toContain(`[rip + 0x${disp.toString(16)}]`);
      expect(i32(code.bytes, end - 4)).toBe(disp);
    }
    // Padding between code and pool is int3.
    for (let p = code.codeSize; p < off(v); p++) expect(code.bytes[p]).toBe(0xcc);
  });

  it('raw-bit constants keep NaN payloads', () => {
    const a = new Assembler();
    const nan = a.constF64(0x00000001, 0x7ff80000);
    const nan32 = a.constF32(0x7fc00001);
    a.ret();
    const code = a.finish();
    const view = new DataView(code.bytes.buffer);
    expect(view.getUint32(code.labelOffset(nan), true)).toBe(1);
    expect(view.getUint32(code.labelOffset(nan) + 4, true)).toBe(0x7ff80000);
    expect(view.getUint32(code.labelOffset(nan32), true)).toBe(0x7fc00001);
  });

  it('RIP displacements stay right when branches before them grow', () => {
    const a = new Assembler();
    const c = a.constF64Value(2.5);
    const skip = a.newLabel();
    a.jmp(skip);
    a.nop(300);
    a.bind(skip);
    a.xmmRM(SseOp.Mulsd, XMM0, ripRel(c, 0));
    a.ret();
    const code = a.finish();
    const insn = disassemble(code.bytes, { length: code.codeSize }).find((i) => i.mnemonic === 'mulsd')!;
    const end = insn.offset + insn.bytes.length;
    expect(insn.offset).toBe(305);
    expect(i32(code.bytes, end - 4)).toBe(code.labelOffset(c) - end);
  });
});

describe('calls, relocations, jump tables', () => {
  it('call label (forward and backward) and external calls recorded as relocations', () => {
    const a = new Assembler();
    const fn = a.newLabel();
    const skip = a.newLabel();
    a.call(fn); // forward
    a.jmp(skip); // grows, moving everything after it
    a.nop(200);
    a.bind(skip);
    a.callExternal(42);
    a.movRI64Reloc(R9, 7, 16);
    a.bind(fn);
    a.ret();
    a.call(fn); // backward
    const code = a.finish();
    const list = disassemble(code.bytes);
    const calls = list.filter((i) => i.mnemonic === 'call');
    expect(calls.length).toBe(3);
    expect(target(calls[0]!)).toBe(code.labelOffset(fn));
    expect(target(calls[2]!)).toBe(code.labelOffset(fn));

    expect(code.relocations.length).toBe(2);
    const [call, abs] = code.relocations;
    expect(call).toEqual({ offset: calls[1]!.offset + 1, kind: RelocKind.CallRel32, target: 42, addend: -4 });
    expect(code.bytes[call!.offset - 1]).toBe(0xe8);
    expect(abs!.kind).toBe(RelocKind.Abs64);
    expect(abs!.target).toBe(7);
    expect(abs!.addend).toBe(16);
    expect(Array.from(code.bytes.subarray(abs!.offset - 2, abs!.offset))).toEqual([0x49, 0xb9]); // movabs r9
    const movabs = list.find((i) => i.mnemonic === 'movabs')!;
    expect(movabs.offset).toBe(abs!.offset - 2);
  });

  it('jump-table entries hold target - base after relaxation', () => {
    const a = new Assembler();
    const table = a.newLabel();
    const cases = [a.newLabel(), a.newLabel(), a.newLabel()];
    const skip = a.newLabel();
    a.jmp(skip);
    a.align(4);
    a.bind(table);
    for (const c of cases) a.jumpTableEntry(c, table);
    a.nop(150);
    a.bind(skip);
    for (const c of cases) {
      a.bind(c);
      a.nop(50);
    }
    a.ret();
    const code = a.finish();
    const base = code.labelOffset(table);
    expect(base % 4).toBe(0);
    cases.forEach((c, k) => expect(i32(code.bytes, base + 4 * k)).toBe(code.labelOffset(c) - base));
  });

  it('labels report their final offsets', () => {
    const a = new Assembler();
    const labels = [a.newLabel(), a.newLabel(), a.newLabel()];
    const unused = a.newLabel();
    a.bind(labels[0]!);
    a.nop(3);
    a.bind(labels[1]!);
    a.movRI(4, RAX, 1);
    a.bind(labels[2]!);
    const code = a.finish();
    expect(Array.from(code.labelOffsets.subarray(0, 3))).toEqual([0, 3, 8]);
    expect(code.labelOffsets[unused]).toBe(-1);
  });
});
