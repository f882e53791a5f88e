/**
 * The operator table against an independent encoder: every Wasm 2.0 operator is written as text, assembled by wabt,
 * and decoded back by OperatorReader — the id, the name and the immediates must all come back as written.
 */
import { describe, expect, it } from 'vitest';
import { ALL_OPERATORS, Imm, OP_IMMEDIATE, OPERATOR_COUNT, opName, isOperator } from '../../src/frontend/operator-table.js';
import { Op } from '../../src/frontend/opcodes.js';
import { OperatorReader } from '../../src/frontend/operator-reader.js';
import { parseModule } from '../../src/frontend/module-parser.js';
import { ValType } from '../../src/frontend/value-types.js';
import { wat } from './wasm-builder.js';

const SHUFFLE_LANES = [0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31];

/** Text for one instance of the operator, with distinctive immediates. */
function instructionText(op: number): string {
  const n = opName(op);
  switch (OP_IMMEDIATE[op]) {
    case Imm.BLOCK_TYPE:
      return op === Op.IF ? 'i32.const 0 if (result i32) i32.const 1 else i32.const 2 end drop' : `${n} (result i64) i64.const 0 end drop`;
    case Imm.INDEX:
      return `${n} 0`;
    case Imm.CALL_INDIRECT:
      return `${n} 1 (type 0)`;
    case Imm.TWO_INDICES:
      return `${n} 1 0`;
    case Imm.BR_TABLE:
      return `block block ${n} 0 1 0 end end`;
    case Imm.SELECT_T:
      return `${n} (result f64)`;
    case Imm.MEMARG:
      return `${n} offset=7 align=1`;
    case Imm.MEMARG_LANE:
      return `${n} offset=7 align=1 1`;
    case Imm.LANE:
      return `${n} 1`;
    case Imm.INDEX_ZERO_BYTE:
      return `${n} 0`;
    case Imm.I32:
      return `${n} -123456`;
    case Imm.I64:
      return `${n} -0x123456789abc`;
    case Imm.F32:
      return `${n} -1.5`;
    case Imm.F64:
      return `${n} 0x1.123456789abcdp+1000`;
    case Imm.V128:
      return `${n} i8x16 ${Array.from({ length: 16 }, (_, i) => i * 3).join(' ')}`;
    case Imm.SHUFFLE:
      return `${n} ${SHUFFLE_LANES.join(' ')}`;
    case Imm.REF_TYPE:
      return `${n} extern`;
    default:
      if (op === Op.ELSE) return 'i32.const 0 if nop else nop end';
      if (op === Op.END) return 'block end';
      return n;
  }
}

describe('operator table', () => {
  it('lists every Wasm 2.0 operator once (MVP + sign-ext + sat-trunc + bulk + reference types + 236 SIMD)', () => {
    expect(OPERATOR_COUNT).toBe(437);
    expect(new Set(ALL_OPERATORS).size).toBe(437);
    expect(ALL_OPERATORS.filter((op) => op >= 0x200).length).toBe(236);
    expect(ALL_OPERATORS.filter((op) => op >= 0x100 && op < 0x200).length).toBe(18);
    expect(isOperator(0x06)).toBe(false); // exception handling's try: not Wasm 2.0
    expect(isOperator(Op.I32_ADD)).toBe(true);
    expect(opName(Op.I32X4_DOT_I16X8_S)).toBe('i32x4.dot_i16x8_s');
    expect(opName(0x2a2)).toBe('0xfd 162');
  });

  it('decodes each operator as wabt encodes it, with its immediates', async () => {
    const ops = ALL_OPERATORS;
    const funcs = ops.map((op, i) => `(func $f${i} ${instructionText(op)})`).join('\n');
    const text = `(module (type (func)) (memory 1) (table 2 funcref) (global (mut i32) (i32.const 0))
      ${funcs}
      (elem declare func 0) (elem funcref (ref.null func)) (data "x"))`;
    const bytes = await wat(text);
    const m = parseModule(bytes);
    expect(m.numDefinedFunctions).toBe(ops.length);
    const r = new OperatorReader(bytes);
    const problems: string[] = [];
    ops.forEach((op, i) => {
      const decl = m.definedFunction(i);
      r.reset(bytes, decl.bodyStart, decl.bodyEnd, i);
      r.readLocals(new Uint8Array(0));
      const seen: number[] = [];
      let found = false;
      while (r.pos < r.end) {
        const got = r.next();
        seen.push(got);
        if (got !== op) continue;
        found = true;
        const err = checkImmediates(op, r);
        if (err) problems.push(`${opName(op)}: ${err}`);
        break;
      }
      if (!found) problems.push(`${opName(op)}: not decoded; saw ${seen.map(opName).join(' ')}`);
    });
    expect(problems).toEqual([]);
  });
});

function checkImmediates(op: number, r: OperatorReader): string | null {
  const expectEq = (what: string, got: unknown, want: unknown) => (got === want ? null : `${what} = ${String(got)}, expected ${String(want)}`);
  switch (OP_IMMEDIATE[op]) {
    case Imm.BLOCK_TYPE:
      return expectEq('blockType', r.blockType, op === Op.IF ? -1 : -2); // i32 = 0x7F → -1, i64 = 0x7E → -2
    case Imm.INDEX:
    case Imm.INDEX_ZERO_BYTE:
      return expectEq('index', r.index, 0);
    case Imm.CALL_INDIRECT:
      return expectEq('index', r.index, 0) ?? expectEq('index2', r.index2, 1);
    case Imm.TWO_INDICES:
      // Text `table.init 1 0` is table 1, segment 0; the binary (and the reader) put the segment first.
      if (op === Op.TABLE_INIT) return expectEq('index (segment)', r.index, 0) ?? expectEq('index2 (table)', r.index2, 1);
      return expectEq('index (destination)', r.index, 1) ?? expectEq('index2 (source)', r.index2, 0);
    case Imm.BR_TABLE:
      return expectEq('brTableCount', r.brTableCount, 2) ?? expectEq('targets', `${r.brTableTargets[0]},${r.brTableTargets[1]}`, '0,1') ?? expectEq('default', r.index, 0);
    case Imm.SELECT_T:
      return expectEq('valType', r.valType, ValType.F64);
    case Imm.MEMARG:
      return expectEq('align', r.align, 0) ?? expectEq('offset', r.offset, 7);
    case Imm.MEMARG_LANE:
      return expectEq('align', r.align, 0) ?? expectEq('offset', r.offset, 7) ?? expectEq('lane', r.lane, 1);
    case Imm.LANE:
      return expectEq('lane', r.lane, 1);
    case Imm.I32:
      return expectEq('i32', r.i32, -123456);
    case Imm.I64: {
      const v = -0x123456789abcn;
      return expectEq('i64lo', r.i64lo, Number(BigInt.asIntN(32, v))) ?? expectEq('i64hi', r.i64hi, Number(BigInt.asIntN(32, v >> 32n)));
    }
    case Imm.F32:
      return expectEq('f32bits', r.f32bits >>> 0, 0xbfc00000);
    case Imm.F64:
      // 0x1.123456789abcdp+1000: biased exponent 1000 + 1023 = 0x7e7, mantissa 0x123456789abcd.
      return expectEq('f64hi', r.f64hi >>> 0, 0x7e712345) ?? expectEq('f64lo', r.f64lo >>> 0, 0x6789abcd);
    case Imm.V128:
      return expectEq('v128', Array.from(r.v128).join(','), Array.from({ length: 16 }, (_, i) => i * 3).join(','));
    case Imm.SHUFFLE:
      return expectEq('lanes', Array.from(r.v128).join(','), SHUFFLE_LANES.join(','));
    case Imm.REF_TYPE:
      return expectEq('valType', r.valType, ValType.EXTERNREF);
    default:
      return null;
  }
}
