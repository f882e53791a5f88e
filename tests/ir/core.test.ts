import { describe, expect, it } from 'vitest';
import { IntPairMap } from '../../src/ir/int-pair-map.js';
import {
  EMPTY_LIST,
  F32,
  F64,
  Format,
  I32,
  I64,
  IntCC,
  Layout,
  ListPool,
  MemFlag,
  NONE,
  OPCODE_COUNT,
  OPCODE_FORMAT,
  OPCODE_NAMES,
  Opcode,
  TrapCode,
  evalIntCC32,
  formatImm,
  immediateForm,
  invertIntCC,
  isBranch,
  isCommutative,
  isTerminator,
  isValidMemFlags,
  isValidTrapCode,
  memAccessBytes,
  opcodeCanTrap,
  parseInt64,
  parseOpcode,
  parseTrapCode,
  parseType,
  swapIntCC,
  trapCodeName,
  typeName,
} from '../../src/ir/index.js';

describe('ListPool', () => {
  it('grows lists by moving them, reuses freed blocks, keeps order on removal', () => {
    const pool = new ListPool(16);
    let a = pool.alloc(1);
    const b = pool.of1(99);
    for (let i = 0; i < 100; i++) a = pool.push(a, i * 3);
    expect(pool.len(a)).toBe(100);
    expect(pool.get(a, 57)).toBe(171);
    expect(pool.toArray(b)).toEqual([99]);
    pool.removeAt(a, 0);
    pool.removeAt(a, 98);
    expect(pool.len(a)).toBe(98);
    expect(pool.get(a, 0)).toBe(3);
    expect(pool.get(a, 97)).toBe(294);
    expect(() => pool.removeAt(a, 98)).toThrow(/index 98 out of range/);
    // A freed block of the same size class is handed out again.
    const c = pool.alloc(3);
    pool.free(c);
    expect(pool.alloc(4)).toBe(c);
    // Pushing to the empty list allocates.
    const e = pool.push(EMPTY_LIST, 7);
    expect(e).not.toBe(EMPTY_LIST);
    expect(pool.len(EMPTY_LIST)).toBe(0);
    expect(pool.toArray(pool.fromArray([5, 6, 7, 8], 1, 2))).toEqual([6, 7]);
    pool.clear();
    expect(pool.usedWords).toBe(2);
  });
});

describe('IntPairMap', () => {
  it('stores 20000 pairs through rehashing', () => {
    const m = new IntPairMap(4);
    for (let a = 0; a < 200; a++) for (let b = 0; b < 100; b++) m.set(a, b, a * 1000 + b);
    expect(m.size).toBe(20000);
    let ok = true;
    for (let a = 0; a < 200; a++) for (let b = 0; b < 100; b++) if (m.get(a, b) !== a * 1000 + b) ok = false;
    expect(ok).toBe(true);
    expect(m.get(200, 0)).toBe(NONE);
    m.set(3, 4, -5);
    expect(m.get(3, 4)).toBe(-5);
    expect(m.size).toBe(20000);
    m.clear();
    expect(m.get(3, 4)).toBe(NONE);
  });
});

describe('Layout', () => {
  it('orders blocks and instructions, inserts, removes, moves and splits in O(1)', () => {
    const l = new Layout();
    l.appendBlock(0);
    l.appendBlock(2);
    l.insertBlockBefore(1, 2);
    l.insertBlockAfter(3, 2);
    const blocks = () => {
      const out: number[] = [];
      for (let b = l.firstBlock; b !== NONE; b = l.nextBlock(b)) out.push(b);
      return out;
    };
    const insts = (b: number) => {
      const out: number[] = [];
      for (let i = l.firstInst(b); i !== NONE; i = l.nextInst(i)) out.push(i);
      return out;
    };
    expect(blocks()).toEqual([0, 1, 2, 3]);
    l.moveBlockAfter(0, 3);
    expect(blocks()).toEqual([1, 2, 3, 0]);
    expect(l.entryBlock).toBe(1);
    l.removeBlock(3);
    expect(blocks()).toEqual([1, 2, 0]);
    expect(l.lastBlock).toBe(0);
    expect(() => l.appendBlock(2)).toThrow(/block2 is already inserted/);
    expect(() => l.removeBlock(3)).toThrow(/block3 is not in the layout/);

    l.appendInst(10, 1);
    l.appendInst(12, 1);
    l.insertInstBefore(11, 12);
    l.insertInstAfter(13, 12);
    l.prependInst(9, 1);
    expect(insts(1)).toEqual([9, 10, 11, 12, 13]);
    expect(l.precedes(10, 13)).toBe(true);
    expect(l.precedes(13, 10)).toBe(false);
    l.removeInst(11);
    expect(insts(1)).toEqual([9, 10, 12, 13]);
    expect(l.instBlock(11)).toBe(NONE);
    expect(() => l.removeInst(11)).toThrow(/inst11 is not in the layout/);
    expect(() => l.appendInst(10, 2)).toThrow(/inst10 is already in block1/);
    l.moveInstToEnd(9, 2);
    expect(insts(2)).toEqual([9]);
    l.moveInstBefore(13, 10);
    expect(insts(1)).toEqual([13, 10, 12]);
    l.splitBlock(4, 10);
    expect(insts(1)).toEqual([13]);
    expect(insts(4)).toEqual([10, 12]);
    expect(l.instBlock(12)).toBe(4);
    expect(blocks()).toEqual([1, 4, 2, 0]);
    expect(l.blockLength(4)).toBe(2);
    l.clear();
    expect(l.firstBlock).toBe(NONE);
    expect(l.firstInst(1)).toBe(NONE);
  });
});

describe('opcode table and codes', () => {
  it('has unique names, dense ids and consistent properties', () => {
    expect(new Set(OPCODE_NAMES).size).toBe(OPCODE_COUNT);
    for (let op = 0; op < OPCODE_COUNT; op++) expect(parseOpcode(OPCODE_NAMES[op]!)).toBe(op);
    expect(parseOpcode('nope')).toBe(-1);
    expect(Opcode.iconst).toBe(0);
    expect(OPCODE_FORMAT[Opcode.br_table]).toBe(Format.BranchTable);
    expect(isTerminator(Opcode.trap) && isTerminator(Opcode.return) && !isTerminator(Opcode.trapz)).toBe(true);
    expect(isBranch(Opcode.brif) && !isBranch(Opcode.return)).toBe(true);
    expect(opcodeCanTrap(Opcode.sdiv) && !opcodeCanTrap(Opcode.iadd) && opcodeCanTrap(Opcode.fcvt_to_sint)).toBe(true);
    expect(opcodeCanTrap(Opcode.fcvt_to_sint_sat)).toBe(false);
    expect(isCommutative(Opcode.imul) && !isCommutative(Opcode.isub)).toBe(true);
    expect(immediateForm(Opcode.ishl)).toBe(Opcode.ishl_imm);
    expect(immediateForm(Opcode.udiv)).toBe(-1);
    expect(memAccessBytes(Opcode.uload16, I64)).toBe(2);
    expect(memAccessBytes(Opcode.load, F64)).toBe(8);
    expect(memAccessBytes(Opcode.store, F32)).toBe(4);
  });

  it('condition codes invert, swap and evaluate', () => {
    for (let cc = 0; cc < 10; cc++) {
      expect(invertIntCC(invertIntCC(cc))).toBe(cc);
      expect(swapIntCC(swapIntCC(cc))).toBe(cc);
      for (const [a, b] of [[1, 2], [-1, 2], [5, 5], [0x80000000 | 0, 1]] as const) {
        expect(evalIntCC32(invertIntCC(cc), a, b)).toBe(!evalIntCC32(cc, a, b));
        expect(evalIntCC32(swapIntCC(cc), b, a)).toBe(evalIntCC32(cc, a, b));
      }
    }
    expect(evalIntCC32(IntCC.ult, -1, 1)).toBe(false);
    expect(evalIntCC32(IntCC.slt, -1, 1)).toBe(true);
  });

  it('names types, trap codes and flags', () => {
    expect(typeName(I32)).toBe('i32');
    expect(parseType('f64')).toBe(F64);
    expect(parseType('i8')).toBe(0);
    expect(trapCodeName(TrapCode.out_of_fuel)).toBe('out_of_fuel');
    expect(parseTrapCode('bad_sig')).toBe(TrapCode.bad_sig);
    expect(parseTrapCode('nope')).toBe(-1);
    expect(isValidTrapCode(0)).toBe(false);
    expect(isValidTrapCode(TrapCode.heap_oob)).toBe(true);
    expect(isValidMemFlags(MemFlag.notrap | MemFlag.heap)).toBe(true);
    expect(isValidMemFlags(MemFlag.heap | MemFlag.vmctx)).toBe(false);
    expect(isValidMemFlags(64)).toBe(false);
  });

  it('formats and parses 64-bit immediates without losing bits', () => {
    expect(formatImm(-1, -1, I64)).toBe('-1');
    expect(formatImm(0, 1, I64)).toBe('0x0000000100000000');
    expect(formatImm(-1, 0, I64)).toBe('0x00000000ffffffff');
    expect(formatImm(-1, 0, I32)).toBe('-1');
    const out = { ok: false, lo: 0, hi: 0 };
    expect(parseInt64('18446744073709551615', out)).toBe(true);
    expect([out.lo, out.hi]).toEqual([-1, -1]);
    expect(parseInt64('-9223372036854775809', out)).toBe(false);
    expect(parseInt64('18446744073709551616', out)).toBe(false);
    expect(parseInt64('0x1_0000_0000', out)).toBe(true);
    expect([out.lo, out.hi]).toEqual([0, 1]);
    expect(parseInt64('12abc', out)).toBe(false);
  });
});
