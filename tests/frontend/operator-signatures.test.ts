/**
 * Operand and result types, alignments and lane limits of every simple operator, checked against V8: for each one a
 * function feeding it parameters of exactly its operand types must be valid for both validators, and changing any one
 * operand type, the result type, the alignment past natural or the lane past the last must be invalid for both.
 */
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/frontend/index.js';
import { ALL_OPERATORS, Imm, OP_IMMEDIATE, OP_LANES, OP_MAX_ALIGN, OP_PARAM0, OP_PARAM1, OP_PARAM2, OP_PARAM_COUNT, OP_RESULT, SPECIAL, opName } from '../../src/frontend/operator-table.js';
import { Op } from '../../src/frontend/opcodes.js';
import { ValType, VAL_TYPE_CODE } from '../../src/frontend/value-types.js';
import { body, funcType, module, section, u32, vec } from './wasm-builder.js';

function opcodeBytes(op: number): number[] {
  if (op >= 0x200) return [0xfd, ...u32(op - 0x200)];
  if (op >= 0x100) return [0xfc, ...u32(op - 0x100)];
  return [op];
}

function immediateBytes(op: number, align: number, lane: number): number[] {
  switch (OP_IMMEDIATE[op]) {
    case Imm.MEMARG:
      return [...u32(align), 0];
    case Imm.MEMARG_LANE:
      return [...u32(align), 0, lane];
    case Imm.LANE:
      return [lane];
    case Imm.ZERO_BYTE:
      return [0];
    case Imm.TWO_ZERO_BYTES:
      return [0, 0];
    case Imm.I32:
    case Imm.I64:
      return [0];
    case Imm.F32:
      return [0, 0, 0, 0];
    case Imm.F64:
      return new Array(8).fill(0);
    case Imm.V128:
      return new Array(16).fill(0);
    case Imm.SHUFFLE:
      return Array.from({ length: 16 }, (_, i) => (lane === 32 && i === 5 ? 32 : i * 2));
    default:
      return [];
  }
}

/** A module with memory whose one function takes `params`, returns `results` and applies `op` to its params. */
function moduleFor(op: number, params: number[], results: number[], align: number, lane: number): Uint8Array<ArrayBuffer> {
  const code = [...params.flatMap((_, i) => [0x20, i]), ...opcodeBytes(op), ...immediateBytes(op, align, lane)];
  return module(
    section(1, vec([funcType(params.map((t) => VAL_TYPE_CODE[t]), results.map((t) => VAL_TYPE_CODE[t]))])),
    section(3, vec([[0]])),
    section(5, vec([[0x00, 1]])),
    section(10, vec([body([], code)])),
  );
}

/** A different number-or-vector type, to break a signature. */
function otherType(t: number): number {
  return t === ValType.I32 ? ValType.I64 : ValType.I32;
}

describe('simple operator signatures agree with V8', () => {
  const simple = ALL_OPERATORS.filter((op) => OP_PARAM_COUNT[op] !== SPECIAL);

  it('covers the numeric, memory and SIMD operators', () => {
    expect(simple.length).toBeGreaterThan(380);
  });

  it('each simple operator: valid with its types, invalid with any one type changed', () => {
    const problems: string[] = [];
    const check = (what: string, bytes: Uint8Array<ArrayBuffer>, expected: boolean) => {
      const ours = validate(bytes);
      const v8 = WebAssembly.validate(bytes);
      if (ours !== expected || v8 !== expected) problems.push(`${what}: expected ${expected}, kindling ${ours}, V8 ${v8}`);
    };
    for (const op of simple) {
      const name = opName(op);
      const params = [OP_PARAM0[op], OP_PARAM1[op], OP_PARAM2[op]].slice(0, OP_PARAM_COUNT[op]);
      const results = OP_RESULT[op] === ValType.NONE ? [] : [OP_RESULT[op]];
      const maxAlign = OP_MAX_ALIGN[op] >= 0 ? OP_MAX_ALIGN[op] : 0;
      const lanes = OP_LANES[op];
      const goodLane = lanes > 0 && op !== Op.I8X16_SHUFFLE ? lanes - 1 : 0;
      check(`${name} as declared`, moduleFor(op, params, results, maxAlign, goodLane), true);
      params.forEach((t, k) => {
        const changed = params.slice();
        changed[k] = otherType(t);
        check(`${name} with operand ${k} changed`, moduleFor(op, changed, results, maxAlign, goodLane), false);
      });
      const otherResults = results.length === 0 ? [ValType.I32] : [otherType(results[0])];
      check(`${name} with result changed`, moduleFor(op, params, otherResults, maxAlign, goodLane), false);
      if (OP_MAX_ALIGN[op] >= 0) check(`${name} align 2^${maxAlign + 1}`, moduleFor(op, params, results, maxAlign + 1, goodLane), false);
      if (lanes > 0) check(`${name} lane ${lanes}`, moduleFor(op, params, results, maxAlign, lanes), false);
    }
    expect(problems).toEqual([]);
  });
});
