// Generated encoder tests, SSE forms: every SSE op over all 16x16 XMM pairs, memory forms over the generated
// addressing modes, and the GPR<->XMM moves and conversions over all register pairs. Checked against capstone.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadDisassembler } from '../../src/x64/disassemble.js';
import { SseOp } from '../../src/x64/opcodes.js';
import type { Amode } from '../../src/x64/amode.js';
import type { Assembler } from '../../src/x64/assembler.js';
import { runCases, type EncodingCase } from './support/encoding-harness.js';
import { expectedLength, gp, immTok, memText, xm, type MemIntent } from './support/intel-syntax.js';
import { GPRS, memoryOperands, XMMS } from './support/operand-sets.js';

beforeAll(async () => {
  await loadDisassembler();
});

const MEMS = memoryOperands();
const SSE = Object.entries(SseOp).map(([k, v]) => ({ name: k.toLowerCase(), op: v }));
// The ISA facts the test relies on, written independently of the encoder's table:
// packed-single ops (and ucomiss) have no mandatory prefix; everything else has exactly one (66, F2 or F3).
const NO_PREFIX = new Set(['movaps', 'movups', 'ucomiss', 'andps', 'andnps', 'orps', 'xorps']);
const STORES = new Set(['movss', 'movsd', 'movaps', 'movapd', 'movups', 'movupd', 'movdqa', 'movdqu']);

/** Bytes an SSE op reads from memory. */
function memWidth(name: string): number {
  if (name === 'cvtss2sd') return 4;
  if (name === 'cvtsd2ss') return 8;
  if (name.endsWith('ss')) return 4;
  if (name.endsWith('sd')) return 8;
  return 16;
}

function expectPass(cases: EncodingCase[], minimum: number): void {
  const result = runCases(cases);
  expect(result.failures).toEqual([]);
  expect(result.count).toBeGreaterThanOrEqual(minimum);
}

function overMems(fn: (m: Amode, intent: MemIntent, k: number) => EncodingCase): EncodingCase[] {
  return MEMS.map((mc, k) => fn(mc.amode, mc.intent, k));
}

it('the test knows every SSE op the encoder exposes', () => {
  expect(SSE.length).toBe(35);
  for (const { name } of SSE) expect(name).toMatch(/^[a-z0-9]+$/);
});

describe('SSE register forms', () => {
  it('every op over all 16x16 xmm pairs', () => {
    const cases: EncodingCase[] = [];
    for (const { name, op } of SSE) {
      for (const d of XMMS) {
        for (const s of XMMS) {
          cases.push({
            emit: (a) => a.xmmRR(op, d, s),
            text: `${name} ${xm(d)}, ${xm(s)}`,
            length: expectedLength({ prefixes: NO_PREFIX.has(name) ? 0 : 1, w: false, regs: [d, s], opLen: 2 }),
          });
        }
      }
    }
    expectPass(cases, 8960);
  });

  it('movd/movq between every gpr and xmm, both directions', () => {
    const cases: EncodingCase[] = [];
    for (const size of [4, 8] as const) {
      const name = size === 8 ? 'movq' : 'movd';
      for (const x of XMMS) {
        for (const g of GPRS) {
          const length = expectedLength({ prefixes: 1, w: size === 8, regs: [x, g], opLen: 2 });
          cases.push({ emit: (a) => a.movdToXmm(size, x, g), text: `${name} ${xm(x)}, ${gp(g, size)}`, length });
          cases.push({ emit: (a) => a.movdFromXmm(size, g, x), text: `${name} ${gp(g, size)}, ${xm(x)}`, length });
        }
      }
    }
    expectPass(cases, 1024);
  });

  it('cvtsi2ss/sd and cvttss2si/cvttsd2si with 32- and 64-bit integers', () => {
    const cases: EncodingCase[] = [];
    for (const fsize of [4, 8] as const) {
      const f = fsize === 4 ? 's' : 'd';
      for (const isize of [4, 8] as const) {
        for (const x of XMMS) {
          for (const g of GPRS) {
            const length = expectedLength({ prefixes: 1, w: isize === 8, regs: [x, g], opLen: 2 });
            cases.push({ emit: (a) => a.cvtsi2fpRR(fsize, isize, x, g), text: `cvtsi2s${f} ${xm(x)}, ${gp(g, isize)}`, length });
            cases.push({ emit: (a) => a.cvttfp2siRR(fsize, isize, g, x), text: `cvtts${f}2si ${gp(g, isize)}, ${xm(x)}`, length });
          }
        }
      }
    }
    expectPass(cases, 2048);
  });

  it('roundss/roundsd with every mode', () => {
    const cases: EncodingCase[] = [];
    for (const fsize of [4, 8] as const) {
      let k = 0;
      for (const d of XMMS) {
        for (const s of XMMS) {
          const mode = k++ % 16;
          cases.push({
            emit: (a) => a.roundRR(fsize, d, s, mode),
            text: `rounds${fsize === 4 ? 's' : 'd'} ${xm(d)}, ${xm(s)}, ${immTok(mode, 8)}`,
            length: expectedLength({ prefixes: 1, w: false, regs: [d, s], opLen: 3, immLen: 1 }),
            immBits: 8,
          });
        }
      }
    }
    expectPass(cases, 512);
  });
});

describe('SSE memory forms', () => {
  it('op xmm, [m] for every op (three passes over the addressing modes)', () => {
    const cases: EncodingCase[] = [];
    for (let pass = 0; pass < 3; pass++) {
      cases.push(
        ...overMems((m, mi, k) => {
          const { name, op } = SSE[(k + pass * 11) % SSE.length]!;
          const x = 16 + ((k * 7 + pass) % 16);
          return {
            emit: (a: Assembler) => a.xmmRM(op, x, m),
            text: (end: number) => `${name} ${xm(x)}, ${memText(mi, memWidth(name), end)}`,
            length: expectedLength({ prefixes: NO_PREFIX.has(name) ? 0 : 1, w: false, regs: [x], mem: mi, opLen: 2 }),
          };
        }),
      );
    }
    expectPass(cases, 1300);
  });

  it('stores: movss/movsd/movaps/movapd/movups/movupd/movdqa/movdqu [m], xmm', () => {
    const stores = SSE.filter((s) => STORES.has(s.name));
    expect(stores.length).toBe(8);
    const cases = overMems((m, mi, k) => {
      const { name, op } = stores[k % stores.length]!;
      const x = 16 + ((k * 5 + 3) % 16);
      return {
        emit: (a: Assembler) => a.xmmMR(op, m, x),
        text: (end: number) => `${name} ${memText(mi, memWidth(name), end)}, ${xm(x)}`,
        length: expectedLength({ prefixes: NO_PREFIX.has(name) ? 0 : 1, w: false, regs: [x], mem: mi, opLen: 2 }),
      };
    });
    expectPass(cases, 450);
  });

  it('cvtsi2ss/sd xmm, [m] and cvttss2si/cvttsd2si r, [m]', () => {
    const cases: EncodingCase[] = [];
    for (const fsize of [4, 8] as const) {
      const f = fsize === 4 ? 's' : 'd';
      for (const isize of [4, 8] as const) {
        cases.push(
          ...overMems((m, mi, k) => {
            const x = 16 + (k % 16);
            return {
              emit: (a: Assembler) => a.cvtsi2fpRM(fsize, isize, x, m),
              text: (end: number) => `cvtsi2s${f} ${xm(x)}, ${memText(mi, isize, end)}`,
              length: expectedLength({ prefixes: 1, w: isize === 8, regs: [x], mem: mi, opLen: 2 }),
            };
          }),
          ...overMems((m, mi, k) => {
            const g = (k * 3) % 16;
            return {
              emit: (a: Assembler) => a.cvttfp2siRM(fsize, isize, g, m),
              text: (end: number) => `cvtts${f}2si ${gp(g, isize)}, ${memText(mi, fsize, end)}`,
              length: expectedLength({ prefixes: 1, w: isize === 8, regs: [g], mem: mi, opLen: 2 }),
            };
          }),
        );
      }
    }
    expectPass(cases, 3600);
  });

  it('roundss/roundsd xmm, [m], imm (immediate after a RIP displacement)', () => {
    const cases = ([4, 8] as const).flatMap((fsize) =>
      overMems((m, mi, k) => {
        const x = 16 + ((k * 11) % 16);
        const mode = k % 16;
        return {
          emit: (a: Assembler) => a.roundRM(fsize, x, m, mode),
          text: (end: number) => `rounds${fsize === 4 ? 's' : 'd'} ${xm(x)}, ${memText(mi, fsize, end)}, ${immTok(mode, 8)}`,
          length: expectedLength({ prefixes: 1, w: false, regs: [x], mem: mi, opLen: 3, immLen: 1 }),
          immBits: 8,
        };
      }),
    );
    expectPass(cases, 900);
  });
});
