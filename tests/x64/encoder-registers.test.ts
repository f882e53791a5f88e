// Generated encoder tests, register and immediate forms: every form over all 16 GPRs (all pairs for two-register
// forms), all sizes, and immediates at the imm8/imm32 edges. Each case is rendered by the test's own formatter and
// compared with capstone's disassembly of the encoder's bytes (text and length).

import { beforeAll, describe, expect, it } from 'vitest';
import { Assembler } from '../../src/x64/assembler.js';
import { loadDisassembler, disassemble } from '../../src/x64/disassemble.js';
import { AluOp, BitOp, ShiftOp, UnaryOp } from '../../src/x64/opcodes.js';
import { Cond } from '../../src/x64/condition-codes.js';
import { runCases, type EncodingCase } from './support/encoding-harness.js';
import { expectedLength, fitsI8, gp, immTok, R64 } from './support/intel-syntax.js';
import { GPRS, IMMS, SIZES, signedOf } from './support/operand-sets.js';

beforeAll(async () => {
  await loadDisassembler();
});

const ALU = Object.entries(AluOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const CONDS = Object.entries(Cond).map(([k, v]) => ({ name: k.toLowerCase(), cc: v }));
const UNARY = Object.entries(UnaryOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const SHIFTS = Object.entries(ShiftOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
const BITS = Object.entries(BitOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
// The F3-prefixed bit-counting instructions (the others are plain 0F xx).
const BIT_F3 = new Set(['popcnt', 'lzcnt', 'tzcnt']);

const p16 = (size: number): number => (size === 2 ? 1 : 0);
const byteRegs = (size: number, ...regs: number[]): number[] => (size === 1 ? regs : []);

function expectPass(cases: EncodingCase[], minimum: number): void {
  const result = runCases(cases);
  expect(result.failures).toEqual([]);
  expect(result.count).toBeGreaterThanOrEqual(minimum);
}

function pairs(fn: (d: number, s: number, k: number) => EncodingCase): EncodingCase[] {
  const out: EncodingCase[] = [];
  let k = 0;
  for (const d of GPRS) for (const s of GPRS) out.push(fn(d, s, k++));
  return out;
}

describe('two-register integer forms (all 16x16 pairs)', () => {
  it('mov r, r at every size', () => {
    const cases = SIZES.flatMap((size) =>
      pairs((d, s) => ({
        emit: (a) => a.movRR(size, d, s),
        text: `mov ${gp(d, size)}, ${gp(s, size)}`,
        length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [d, s], byteRegs: byteRegs(size, d, s), opLen: 1 }),
      })),
    );
    expectPass(cases, 1024);
  });

  it('add/or/adc/sbb/and/sub/xor/cmp r, r at every size', () => {
    const cases = ALU.flatMap(({ name, op }) =>
      SIZES.flatMap((size) =>
        pairs((d, s) => ({
          emit: (a) => a.aluRR(op, size, d, s),
          text: `${name} ${gp(d, size)}, ${gp(s, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [d, s], byteRegs: byteRegs(size, d, s), opLen: 1 }),
        })),
      ),
    );
    expectPass(cases, 8192);
  });

  it('test r, r and xchg r, r at every size', () => {
    const cases = SIZES.flatMap((size) =>
      ['test', 'xchg'].flatMap((name) =>
        pairs((d, s) => ({
          emit: (a) => (name === 'test' ? a.testRR(size, d, s) : a.xchgRR(size, d, s)),
          text: `${name} ${gp(d, size)}, ${gp(s, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [d, s], byteRegs: byteRegs(size, d, s), opLen: 1 }),
        })),
      ),
    );
    expectPass(cases, 2048);
  });

  it('imul r, r and cmovcc r, r (sizes 2, 4, 8; every condition)', () => {
    const cases: EncodingCase[] = [];
    for (const size of [2, 4, 8] as const) {
      cases.push(
        ...pairs((d, s) => ({
          emit: (a) => a.imulRR(size, d, s),
          text: `imul ${gp(d, size)}, ${gp(s, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [d, s], opLen: 2 }),
        })),
        ...pairs((d, s, k) => {
          const { name, cc } = CONDS[k % 16]!;
          return {
            emit: (a) => a.cmovRR(cc, size, d, s),
            text: `cmov${name} ${gp(d, size)}, ${gp(s, size)}`,
            length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [d, s], opLen: 2 }),
          };
        }),
      );
    }
    expectPass(cases, 1536);
  });

  it('movzx / movsx / movsxd r, r for every legal width pair', () => {
    const cases: EncodingCase[] = [];
    const zx: [1 | 2, 2 | 4 | 8][] = [[1, 2], [1, 4], [1, 8], [2, 4], [2, 8]];
    for (const [src, dst] of zx) {
      cases.push(
        ...pairs((d, s) => ({
          emit: (a) => a.movzxRR(src, dst, d, s),
          // A 64-bit zero-extension is encoded as the 32-bit form (it clears the upper half anyway).
          text: `movzx ${gp(d, dst === 8 ? 4 : dst)}, ${gp(s, src)}`,
          length: expectedLength({ prefixes: p16(dst), w: false, regs: [d, s], byteRegs: byteRegs(src, s), opLen: 2 }),
        })),
      );
    }
    const sx: [1 | 2 | 4, 2 | 4 | 8][] = [[1, 2], [1, 4], [1, 8], [2, 4], [2, 8], [4, 8]];
    for (const [src, dst] of sx) {
      cases.push(
        ...pairs((d, s) => ({
          emit: (a) => a.movsxRR(src, dst, d, s),
          text: `${src === 4 ? 'movsxd' : 'movsx'} ${gp(d, dst)}, ${gp(s, src)}`,
          length: expectedLength({ prefixes: p16(dst), w: dst === 8, regs: [d, s], byteRegs: byteRegs(src, s), opLen: src === 4 ? 1 : 2 }),
        })),
      );
    }
    expectPass(cases, 2816);
  });

  it('popcnt/lzcnt/tzcnt/bsf/bsr r, r (sizes 2, 4, 8)', () => {
    const cases = BITS.flatMap(({ name, op }) =>
      ([2, 4, 8] as const).flatMap((size) =>
        pairs((d, s) => ({
          emit: (a) => a.bitRR(op, size, d, s),
          text: `${name} ${gp(d, size)}, ${gp(s, size)}`,
          length: expectedLength({ prefixes: p16(size) + (BIT_F3.has(name) ? 1 : 0), w: size === 8, regs: [d, s], opLen: 2 }),
        })),
      ),
    );
    expectPass(cases, 3840);
  });

  it('imul r, r, imm picks imm8 or imm16/32', () => {
    const cases: EncodingCase[] = [];
    for (const size of [2, 4, 8] as const) {
      const imms = IMMS[size];
      cases.push(
        ...pairs((d, s, k) => {
          const v = imms[k % imms.length]!;
          const short = fitsI8(signedOf(v, size));
          return {
            emit: (a) => a.imulRRI(size, d, s, v),
            text: `imul ${gp(d, size)}, ${gp(s, size)}, ${immTok(v, size * 8)}`,
            length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [d, s], opLen: 1, immLen: short ? 1 : size === 2 ? 2 : 4 }),
            immBits: size * 8,
          };
        }),
      );
    }
    expectPass(cases, 768);
  });
});

describe('register-immediate forms', () => {
  it('mov r, imm for 8/16/32 bits', () => {
    const cases: EncodingCase[] = [];
    for (const size of [1, 2, 4] as const) {
      for (const r of GPRS) {
        for (const v of IMMS[size]) {
          cases.push({
            emit: (a) => a.movRI(size, r, v),
            text: `mov ${gp(r, size)}, ${immTok(v, size * 8)}`,
            length: expectedLength({ prefixes: p16(size), w: false, regs: [r], byteRegs: byteRegs(size, r), opLen: 1, form: 'none', immLen: size }),
            immBits: size * 8,
          });
        }
      }
    }
    expectPass(cases, 400);
  });

  it('64-bit mov r, imm chooses mov r32 / sign-extended imm32 / movabs', () => {
    const values = [
      0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, -1n, -0x80000000n, -0x80000001n, 0x100000000n,
      0x123456789abn, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffff00000000n, -0x100000000n,
    ];
    const cases: EncodingCase[] = [];
    for (const r of GPRS) {
      for (const v of values) {
        const u = BigInt.asUintN(64, v);
        const lo = Number(u & 0xffffffffn);
        const hi = Number(u >> 32n);
        const ext = r >= 8 ? 1 : 0;
        let text: string;
        let length: number;
        if (u <= 0xffffffffn) {
          text = `mov ${gp(r, 4)}, ${immTok(u, 64)}`; // writes r32, zero-extending
          length = ext + 1 + 4;
        } else if (BigInt.asIntN(64, u) >= -0x80000000n && BigInt.asIntN(64, u) <= 0x7fffffffn) {
          text = `mov ${gp(r, 8)}, ${immTok(u, 64)}`;
          length = 1 + 1 + 1 + 4;
        } else {
          text = `movabs ${gp(r, 8)}, ${immTok(u, 64)}`;
          length = 1 + 1 + 8;
        }
        cases.push({ emit: (a) => a.movRI64(r, lo, hi), text, length });
        const n = Number(BigInt.asIntN(64, u));
        if (Number.isSafeInteger(n)) cases.push({ emit: (a) => a.movRI(8, r, n), text, length });
      }
    }
    expectPass(cases, 350);
  });

  it('alu r, imm picks imm8, the rax short form, or imm16/32', () => {
    const cases: EncodingCase[] = [];
    for (const { name, op } of ALU) {
      for (const size of SIZES) {
        for (const r of GPRS) {
          for (const v of IMMS[size]) {
            const rex = size === 8 || r >= 8 || (size === 1 && r >= 4 && r <= 7) ? 1 : 0;
            let length: number;
            if (size === 1) length = r === 0 ? 2 : rex + 3;
            else if (fitsI8(signedOf(v, size))) length = p16(size) + rex + 3;
            else length = p16(size) + rex + (r === 0 ? 1 : 2) + (size === 2 ? 2 : 4);
            cases.push({
              emit: (a) => a.aluRI(op, size, r, v),
              text: `${name} ${gp(r, size)}, ${immTok(v, size * 8)}`,
              length,
              immBits: size * 8,
            });
          }
        }
      }
    }
    expectPass(cases, 4700);
  });

  it('test r, imm (no imm8 form; rax short form)', () => {
    const cases: EncodingCase[] = [];
    for (const size of SIZES) {
      for (const r of GPRS) {
        for (const v of IMMS[size]) {
          const rex = size === 8 || r >= 8 || (size === 1 && r >= 4 && r <= 7) ? 1 : 0;
          cases.push({
            emit: (a) => a.testRI(size, r, v),
            text: `test ${gp(r, size)}, ${immTok(v, size * 8)}`,
            length: p16(size) + rex + (r === 0 ? 1 : 2) + (size === 8 ? 4 : size),
            immBits: size * 8,
          });
        }
      }
    }
    expectPass(cases, 580);
  });
});

describe('one-register forms', () => {
  it('not/neg/mul/imul/div/idiv r at every size', () => {
    const cases = UNARY.flatMap(({ name, op }) =>
      SIZES.flatMap((size) =>
        GPRS.map((r) => ({
          emit: (a: Assembler) => a.unaryR(op, size, r),
          text: `${name} ${gp(r, size)}`,
          length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: byteRegs(size, r), opLen: 1 }),
        })),
      ),
    );
    expectPass(cases, 384);
  });

  it('shl/shr/sar/rol/ror r by imm (by-1 short form) and by cl', () => {
    const cases: EncodingCase[] = [];
    for (const { name, op } of SHIFTS) {
      for (const size of SIZES) {
        for (const r of GPRS) {
          for (const count of [0, 1, 2, 7, size * 8 - 1]) {
            cases.push({
              emit: (a) => a.shiftRI(op, size, r, count),
              text: `${name} ${gp(r, size)}, ${immTok(count, 8)}`,
              length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: byteRegs(size, r), opLen: 1, immLen: count === 1 ? 0 : 1 }),
              immBits: 8,
            });
          }
          cases.push({
            emit: (a) => a.shiftRCl(op, size, r),
            text: `${name} ${gp(r, size)}, cl`,
            length: expectedLength({ prefixes: p16(size), w: size === 8, regs: [r], byteRegs: byteRegs(size, r), opLen: 1 }),
          });
        }
      }
    }
    expectPass(cases, 1920);
  });

  it('setcc r8 for every condition and register (spl/bpl/sil/dil need REX)', () => {
    const cases = CONDS.flatMap(({ name, cc }) =>
      GPRS.map((r) => ({
        emit: (a: Assembler) => a.setcc(cc, r),
        text: `set${name} ${gp(r, 1)}`,
        length: expectedLength({ prefixes: 0, w: false, regs: [r], byteRegs: [r], opLen: 2 }),
      })),
    );
    expectPass(cases, 256);
  });

  it('push/pop/call/jmp r', () => {
    const cases: EncodingCase[] = GPRS.flatMap((r) => [
      { emit: (a: Assembler) => a.push(r), text: `push ${R64[r]}`, length: (r >= 8 ? 1 : 0) + 1 },
      { emit: (a: Assembler) => a.pop(r), text: `pop ${R64[r]}`, length: (r >= 8 ? 1 : 0) + 1 },
      { emit: (a: Assembler) => a.callR(r), text: `call ${R64[r]}`, length: (r >= 8 ? 1 : 0) + 2 },
      { emit: (a: Assembler) => a.jmpR(r), text: `jmp ${R64[r]}`, length: (r >= 8 ? 1 : 0) + 2 },
    ]);
    expectPass(cases, 64);
  });

  it('operand-less instructions', () => {
    const cases: EncodingCase[] = [
      { emit: (a) => a.ret(), text: 'ret', length: 1 },
      { emit: (a) => a.ud2(), text: 'ud2', length: 2 },
      { emit: (a) => a.int3(), text: 'int3', length: 1 },
      { emit: (a) => a.cwd(), text: 'cwd', length: 2 },
      { emit: (a) => a.cdq(), text: 'cdq', length: 1 },
      { emit: (a) => a.cqo(), text: 'cqo', length: 2 },
    ];
    expectPass(cases, 6);
  });

  it('nop(n) is one instruction up to 9 bytes and ceil(n/9) instructions beyond', () => {
    for (let n = 1; n <= 40; n++) {
      const a = new Assembler();
      a.nop(n);
      const code = a.finish();
      expect(code.bytes.length).toBe(n);
      const insns = disassemble(code.bytes);
      expect(insns.length).toBe(Math.ceil(n / 9));
      for (const insn of insns) expect(insn.mnemonic).toBe('nop');
      expect(insns.reduce((t, i) => t + i.bytes.length, 0)).toBe(n);
    }
  });
});
