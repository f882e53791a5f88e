// Generated encoder tests, memory forms: every memory-operand instruction shape over a generated set of ~460
// addressing modes (every base x every displacement edge, every base x index pair with rotating scale, index-only
// with every scale, absolute disp32, RIP-relative with addends), with registers and ops rotating so every register
// and op meets many addressing modes. Checked against capstone (text and length).

import { beforeAll, describe, expect, it } from 'vitest';
import { loadDisassembler } from '../../src/x64/disassemble.js';
import { AluOp, BitOp, ShiftOp, UnaryOp } from '../../src/x64/opcodes.js';
import { Cond } from '../../src/x64/condition-codes.js';
import type { Amode } from '../../src/x64/amode.js';
import type { Assembler } from '../../src/x64/assembler.js';
import { runCases, type EncodingCase } from './support/encoding-harness.js';
import { expectedLength, fitsI8, gp, immTok, memText, type MemIntent } from './support/intel-syntax.js';
import { IMMS, memoryOperands, SIZES, signedOf } from './support/operand-sets.js';

beforeAll(async () => {
  await loadDisassembler();
});

const MEMS = memoryOperands();
const ALU = Object.entries(AluOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const CONDS = Object.entries(Cond).map(([k, v]) => ({ name: k.toLowerCase(), cc: v }));
const UNARY = Object.entries(UnaryOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const SHIFTS = Object.entries(ShiftOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const BITS = Object.entries(BitOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const BIT_F3 = new Set(['popcnt', 'lzcnt', 'tzcnt']);

const p16 = (size: number): number => (size === 2 ? 1 : 0);

function expectPass(cases: EncodingCase[], minimum: number): void {
  const result = runCases(cases);
  expect(result.failures).toEqual([]);
  expect(result.count).toBeGreaterThanOrEqual(minimum);
}

/** One case per addressing mode; `k` rotates registers/ops/immediates. */
function overMems(fn: (m: Amode, intent: MemIntent, k: number) => EncodingCase): EncodingCase[] {
  return MEMS.map((mc, k) => fn(mc.amode, mc.intent, k));
}

it('the generated addressing modes cover the awkward cases', () => {
  const has = (p: (m: MemIntent) => boolean): boolean => MEMS.some((mc) => p(mc.intent));
  expect(MEMS.length).toBeGreaterThan(400);
  for (const base of [4, 12, 5, 13]) expect(has((m) => m.base === base && m.index < 0 && m.disp === 0)).toBe(true);
  expect(has((m) => m.index === 12)).toBe(true);
  for (const scale of [1, 2, 4, 8]) expect(has((m) => m.base < 0 && m.index >= 0 && m.scale === scale)).toBe(true);
  for (const d of [127, -128, 128, -129, 0x7fffffff, -0x80000000]) expect(has((m) => m.base >= 0 && m.disp === d)).toBe(true);
  expect(has((m) => m.base < 0 && m.index < 0 && !m.rip)).toBe(true);
  expect(has((m) => m.rip)).toBe(true);
});

describe('integer loads, stores and address computation', () => {
  it('mov r, [m] and mov [m], r at every size', () => {
    const cases = SIZES.flatMap((size) => [
      ...overMems((m, mi, k) => {
        const r = k % 16;
        return {
          emit: (a: Assembler) => a.movRM(size, r, m),
          text: (end: number) => `mov ${gp(r, size)}, ${memText(mi, size, end)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: size === 1 ? [r] : [], mem: mi, opLen: 1 }),
        };
      }),
      ...overMems((m, mi, k) => {
        const r = (k * 5 + 3) % 16;
        return {
          emit: (a: Assembler) => a.movMR(size, m, r),
          text: (end: number) => `mov ${memText(mi, size, end)}, ${gp(r, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: size === 1 ? [r] : [], mem: mi, opLen: 1 }),
        };
      }),
    ]);
    expectPass(cases, 3600);
  });

  it('mov [m], imm at every size (imm after a RIP displacement)', () => {
    const cases = SIZES.flatMap((size) =>
      overMems((m, mi, k) => {
        const v = IMMS[size][k % IMMS[size].length]!;
        const immLen = size === 8 ? 4 : size;
        return {
          emit: (a: Assembler) => a.movMI(size, m, v),
          text: (end: number) => `mov ${memText(mi, size, end)}, ${immTok(v, size * 8)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [], mem: mi, opLen: 1, immLen }),
          immBits: size * 8,
        };
      }),
    );
    expectPass(cases, 1800);
  });

  it('movzx / movsx / movsxd r, [m]', () => {
    const combos: ['movzx' | 'movsx', 1 | 2 | 4, 2 | 4 | 8][] = [
      ['movzx', 1, 2], ['movzx', 1, 4], ['movzx', 1, 8], ['movzx', 2, 4], ['movzx', 2, 8],
      ['movsx', 1, 2], ['movsx', 1, 4], ['movsx', 1, 8], ['movsx', 2, 4], ['movsx', 2, 8], ['movsx', 4, 8],
    ];
    const cases = combos.flatMap(([kind, src, dst]) =>
      overMems((m, mi, k) => {
        const r = (k * 3) % 16;
        const zx = kind === 'movzx';
        const mnemonic = src === 4 ? 'movsxd' : kind;
        const dstShown = zx && dst === 8 ? 4 : dst;
        return {
          emit: (a: Assembler) => (zx ? a.movzxRM(src as 1 | 2, dst, r, m) : a.movsxRM(src, dst, r, m)),
          text: (end: number) => `${mnemonic} ${gp(r, dstShown)}, ${memText(mi, src, end)}`,
          length: expectedLength({ prefixes: p16(dst), w: !zx && dst === 8, regs: [r], mem: mi, opLen: src === 4 ? 1 : 2 }),
        };
      }),
    );
    expectPass(cases, 5000);
  });

  it('lea r, [m] (sizes 2, 4, 8)', () => {
    const cases = ([2, 4, 8] as const).flatMap((size) =>
      overMems((m, mi, k) => {
        const r = (k * 7 + 1) % 16;
        return {
          emit: (a: Assembler) => a.lea(size, r, m),
          text: (end: number) => `lea ${gp(r, size)}, ${memText(mi, null, end)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], mem: mi, opLen: 1 }),
        };
      }),
    );
    expectPass(cases, 1300);
  });
});

describe('ALU with memory: load-op, read-modify-write, compare with memory', () => {
  it('op r, [m] and op [m], r (all eight ops, every size)', () => {
    const cases = SIZES.flatMap((size) => [
      ...overMems((m, mi, k) => {
        const { name, op } = ALU[k % 8]!;
        const r = (k * 11) % 16;
        return {
          emit: (a: Assembler) => a.aluRM(op, size, r, m),
          text: (end: number) => `${name} ${gp(r, size)}, ${memText(mi, size, end)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: size === 1 ? [r] : [], mem: mi, opLen: 1 }),
        };
      }),
      ...overMems((m, mi, k) => {
        const { name, op } = ALU[(k + 3) % 8]!;
        const r = (k * 13 + 2) % 16;
        return {
          emit: (a: Assembler) => a.aluMR(op, size, m, r),
          text: (end: number) => `${name} ${memText(mi, size, end)}, ${gp(r, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: size === 1 ? [r] : [], mem: mi, opLen: 1 }),
        };
      }),
    ]);
    expectPass(cases, 3600);
  });

  it('op [m], imm picks imm8 or imm16/32 (add [m], imm; cmp [m], imm; ...)', () => {
    const cases = SIZES.flatMap((size) =>
      ALU.flatMap(({ name, op }, opIndex) =>
        overMems((m, mi, k) => {
          const imms = IMMS[size];
          const v = imms[(k + opIndex) % imms.length]!;
          const immLen = size === 1 ? 1 : fitsI8(signedOf(v, size)) ? 1 : size === 2 ? 2 : 4;
          return {
            emit: (a: Assembler) => a.aluMI(op, size, m, v),
            text: (end: number) => `${name} ${memText(mi, size, end)}, ${immTok(v, size * 8)}`,
            length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [], mem: mi, opLen: 1, immLen }),
            immBits: size * 8,
          };
        }),
      ),
    );
    expectPass(cases, 14000);
  });

  it('test [m], imm and test [m], r', () => {
    const cases = SIZES.flatMap((size) => [
      ...overMems((m, mi, k) => {
        const v = IMMS[size][k % IMMS[size].length]!;
        return {
          emit: (a: Assembler) => a.testMI(size, m, v),
          text: (end: number) => `test ${memText(mi, size, end)}, ${immTok(v, size * 8)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [], mem: mi, opLen: 1, immLen: size === 8 ? 4 : size }),
          immBits: size * 8,
        };
      }),
      ...overMems((m, mi, k) => {
        const r = (k * 9 + 4) % 16;
        return {
          emit: (a: Assembler) => a.testMR(size, m, r),
          text: (end: number) => `test ${memText(mi, size, end)}, ${gp(r, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: size === 1 ? [r] : [], mem: mi, opLen: 1 }),
        };
      }),
    ]);
    expectPass(cases, 3600);
  });
});

describe('other integer memory forms', () => {
  it('imul r, [m] and imul r, [m], imm', () => {
    const cases = ([2, 4, 8] as const).flatMap((size) => [
      ...overMems((m, mi, k) => {
        const r = (k * 5) % 16;
        return {
          emit: (a: Assembler) => a.imulRM(size, r, m),
          text: (end: number) => `imul ${gp(r, size)}, ${memText(mi, size, end)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], mem: mi, opLen: 2 }),
        };
      }),
      ...overMems((m, mi, k) => {
        const r = (k * 7 + 2) % 16;
        const v = IMMS[size][k % IMMS[size].length]!;
        const immLen = fitsI8(signedOf(v, size)) ? 1 : size === 2 ? 2 : 4;
        return {
          emit: (a: Assembler) => a.imulRMI(size, r, m, v),
          text: (end: number) => `imul ${gp(r, size)}, ${memText(mi, size, end)}, ${immTok(v, size * 8)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], mem: mi, opLen: 1, immLen }),
          immBits: size * 8,
        };
      }),
    ]);
    expectPass(cases, 2700);
  });

  it('not/neg/mul/imul/div/idiv [m]', () => {
    const cases = SIZES.flatMap((size) =>
      overMems((m, mi, k) => {
        const { name, op } = UNARY[k % UNARY.length]!;
        return {
          emit: (a: Assembler) => a.unaryM(op, size, m),
          text: (end: number) => `${name} ${memText(mi, size, end)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [], mem: mi, opLen: 1 }),
        };
      }),
    );
    expectPass(cases, 1800);
  });

  it('shifts of memory by imm and by cl', () => {
    const cases = SIZES.flatMap((size) => [
      ...overMems((m, mi, k) => {
        const { name, op } = SHIFTS[k % SHIFTS.length]!;
        const counts = [1, 3, size * 8 - 1];
        const count = counts[k % 3]!;
        return {
          emit: (a: Assembler) => a.shiftMI(op, size, m, count),
          text: (end: number) => `${name} ${memText(mi, size, end)}, ${immTok(count, 8)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [], mem: mi, opLen: 1, immLen: count === 1 ? 0 : 1 }),
          immBits: 8,
        };
      }),
      ...overMems((m, mi, k) => {
        const { name, op } = SHIFTS[(k + 2) % SHIFTS.length]!;
        return {
          emit: (a: Assembler) => a.shiftMCl(op, size, m),
          text: (end: number) => `${name} ${memText(mi, size, end)}, cl`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [], mem: mi, opLen: 1 }),
        };
      }),
    ]);
    expectPass(cases, 3600);
  });

  it('cmovcc r, [m] and popcnt/lzcnt/tzcnt/bsf/bsr r, [m]', () => {
    const cases = ([2, 4, 8] as const).flatMap((size) => [
      ...overMems((m, mi, k) => {
        const { name, cc } = CONDS[k % 16]!;
        const r = (k * 3 + 1) % 16;
        return {
          emit: (a: Assembler) => a.cmovRM(cc, size, r, m),
          text: (end: number) => `cmov${name} ${gp(r, size)}, ${memText(mi, size, end)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], mem: mi, opLen: 2 }),
        };
      }),
      ...overMems((m, mi, k) => {
        const { name, op } = BITS[k % BITS.length]!;
        const r = (k * 5 + 6) % 16;
        return {
          emit: (a: Assembler) => a.bitRM(op, size, r, m),
          text: (end: number) => `${name} ${gp(r, size)}, ${memText(mi, size, end)}`,
          length: expectedLength({ prefixes: p16(size) + (BIT_F3.has(name) ? 1 : 0), w: size === 8, regs: [r], mem: mi, opLen: 2 }),
        };
      }),
    ]);
    expectPass(cases, 2700);
  });

  it('call [m] and jmp [m]', () => {
    const cases = ['call', 'jmp'].flatMap((name) =>
      overMems((m, mi) => ({
        emit: (a: Assembler) => (name === 'call' ? a.callM(m) : a.jmpM(m)),
        text: (end: number) => `${name} ${memText(mi, 8, end)}`,
        length: expectedLength({ prefixes: 0, w: false, regs: [], mem: mi, opLen: 1 }),
      })),
    );
    expectPass(cases, 900);
  });
});
