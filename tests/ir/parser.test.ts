import { describe, expect, it } from 'vitest';
import {
  F32,
  F64,
  I64,
  IrParseError,
  OPCODE_COUNT,
  OPCODE_NAMES,
  formatF32,
  formatF64,
  parseF32,
  parseF64,
  parseFunction,
  parseFunctions,
  printFunction,
  verifyFunction,
} from '../../src/ir/index.js';
import { diffFunctions } from './helpers.js';

/** One function using every opcode, in printer form. */
const ALL_OPCODES = `function %all(i64 vmctx, i32, i64, f32, f64) -> i32 {
    sig0 = (i64 vmctx, i32) -> i32, f64
    sig1 = (i64, i64) -> i64 system_v
    fn0 = func 12 sig0
    fn1 = builtin 3 sig1

block0(v0: i64, v1: i32, v2: i64, v3: f32, v4: f64):
    v5 = iconst.i32 -7
    v6 = iconst.i64 0x8000000000000000
    v7 = f32const -0.0
    v8 = f64const nan:0x4000000000001
    v9 = iadd v1, v5
    v10 = isub v9, v1
    v11 = imul v10, v9
    v12 = udiv v11, v9
    v13 = sdiv v12, v9
    v14 = urem v13, v9
    v15 = srem v14, v9
    v16 = band v15, v9
    v17 = bor v16, v9
    v18 = bxor v17, v9
    v19 = ishl v18, v9
    v20 = ushr v19, v9
    v21 = sshr v20, v9
    v22 = rotl v21, v9
    v23 = rotr v22, v9
    v24 = ineg v23
    v25 = bnot v24
    v26 = clz v25
    v27 = ctz v26
    v28 = popcnt v27
    v29 = sextend8 v28
    v30 = sextend16 v29
    v31 = sextend32 v2
    v32 = iadd_imm v30, -1
    v33 = imul_imm v31, 0x0000000100000000
    v34 = band_imm v32, 255
    v35 = bor_imm v34, 256
    v36 = bxor_imm v35, -1
    v37 = ishl_imm v36, 3
    v38 = ushr_imm v37, 4
    v39 = sshr_imm v38, 5
    v40 = rotl_imm v39, 6
    v41 = rotr_imm v40, 7
    v42 = icmp sge v41, v9
    v43 = icmp_imm ugt v33, 0x0000000100000000
    v44 = fadd v3, v7
    v45 = fsub v44, v3
    v46 = fmul v45, v3
    v47 = fdiv v46, v3
    v48 = fmin v47, v3
    v49 = fmax v48, v3
    v50 = fcopysign v49, v3
    v51 = fneg v4
    v52 = fabs v51
    v53 = sqrt v52
    v54 = ceil v53
    v55 = floor v54
    v56 = trunc v55
    v57 = nearest v56
    v58 = fcmp ne v57, v8
    v59 = uextend.i64 v42
    v60 = sextend.i64 v43
    v61 = ireduce.i32 v60
    v62 = fcvt_to_sint.i32 v50
    v63 = fcvt_to_uint.i64 v57
    v64 = fcvt_to_sint_sat.i64 v50
    v65 = fcvt_to_uint_sat.i32 v57
    v66 = fcvt_from_sint.f64 v61
    v67 = fcvt_from_uint.f32 v63
    v68 = fpromote.f64 v67
    v69 = fdemote.f32 v66
    v70 = bitcast.i32 v69
    v71 = select v58, v70, v62
    v72 = load.f64 notrap aligned readonly vmctx v0+8
    v73 = uload8.i32 heap v2-1
    v74 = sload8.i64 heap v2
    v75 = uload16.i64 heap v2+2147483647
    v76 = sload16.i32 heap v2-2147483648
    v77 = uload32.i64 table v2
    v78 = sload32.i64 v2
    store notrap aligned vmctx v72, v0+16
    istore8 heap v73, v2
    istore16 heap v74, v2+2
    istore32 heap v77, v2+4
    v79, v80 = call fn0(v0, v71)
    v81 = call fn1(v2, v78)
    v82 = load.i64 notrap aligned readonly table v0+32
    v83, v84 = call_indirect sig0, v82(v0, v79)
    v85 = get_pinned_reg.i64
    set_pinned_reg v85
    trapz v83, indirect_null
    trapnz v65, bad_sig
    brif v83, block1(v83), block2

block1(v86: i32):
    br_table v86, block3, [block1(v86), block2, block3]

block2 cold:
    trap int_divz

block3:
    jump block4(v59, v68)

block4(v87: i64, v88: f64):
    return v61
}
`;

describe('text parser', () => {
  it('round-trips a function that uses every opcode', () => {
    const func = parseFunction(ALL_OPCODES);
    expect(printFunction(func)).toBe(ALL_OPCODES);
    expect(verifyFunction(func)).toEqual([]);
    const again = parseFunction(printFunction(func));
    expect(diffFunctions(func, again)).toBeNull();
    // Every opcode appears.
    for (let op = 0; op < OPCODE_COUNT; op++) {
      const name = OPCODE_NAMES[op]!;
      expect(new RegExp(`[ =]${name}[ .\\n]|^    ${name} `, 'm').test(ALL_OPCODES), name).toBe(true);
    }
  });

  it('keeps value and block numbers exactly, gaps included', () => {
    const text = `function %gaps(i32) -> i32 {
block7(v40: i32):
    v3 = iadd_imm v40, 1
    jump block2(v3)

block2(v9: i32):
    return v9
}
`;
    const func = parseFunction(text);
    expect(printFunction(func)).toBe(text);
    expect(func.entryBlock).toBe(7);
    expect(func.dfg.numValues).toBe(41);
  });

  it('infers result types when uses come before definitions in the text', () => {
    const text = `function %loop(i64) -> i64 {
block0(v0: i64):
    jump block2(v0)

block1:
    v5 = iadd v4, v3
    jump block2(v5)

block2(v3: i64):
    v4 = imul v3, v3
    v6 = icmp_imm ult v4, 100
    brif v6, block1, block3

block3:
    return v4
}
`;
    const func = parseFunction(text);
    expect(func.dfg.valueType(5)).toBe(I64);
    expect(verifyFunction(func)).toEqual([]);
    // The printer spells the type out where the operand is defined further down, so its output never needs
    // inference (this also keeps types of cyclic code in unreachable blocks readable).
    const printed = printFunction(func);
    expect(printed).toBe(text.replace('v5 = iadd v4, v3', 'v5 = iadd.i64 v4, v3'));
    expect(printFunction(parseFunction(printed))).toBe(printed);
  });

  it('keeps float bit patterns exactly and prints the shortest text', () => {
    const f32Cases: [number, string][] = [
      [0x3dcccccd, '0.1'],
      [0x3f800000, '1.0'],
      [0x80000000 | 0, '-0.0'],
      [0x00000001, '1e-45'],
      [0x7f7fffff, '3.4028235e+38'],
      [0x7f800000, 'inf'],
      [0xff800000 | 0, '-inf'],
      [0x7fc00000, 'nan'],
      [0xffc00000 | 0, '-nan'],
      [0x7fa00000, 'nan:0x200000'],
      [0x7f800001, 'nan:0x1'],
    ];
    for (const [bits, text] of f32Cases) {
      expect(formatF32(bits)).toBe(text);
      expect(parseF32(text)).toBe(bits);
    }
    const f64Cases: [number, number, string][] = [
      [0x9999999a | 0, 0x3fb99999, '0.1'],
      [0, 0x40590000, '100.0'],
      [1, 0, '5e-324'],
      [0, 0x80000000 | 0, '-0.0'],
      [0, 0x7ff80000, 'nan'],
      [1, 0x7ff00000, 'nan:0x1'],
      [0, 0xfff40000 | 0, '-nan:0x4000000000000'],
      [0, 0x7ff00000, 'inf'],
    ];
    for (const [lo, hi, text] of f64Cases) {
      expect(formatF64(lo, hi)).toBe(text);
      expect(parseF64(text)).toEqual([lo, hi]);
    }
    expect(parseF32('nan:0x800000')).toBeNull(); // payload too wide
    expect(parseF32('1.5x')).toBeNull();
    const func = parseFunction(`function %c() -> f32, f64 {
block0:
    v0 = f32const 1e+30
    v1 = f64const -1.7976931348623157e+308
    return v0, v1
}`);
    expect(func.dfg.valueType(0)).toBe(F32);
    expect(func.dfg.valueType(1)).toBe(F64);
    expect(func.dfg.immLo(func.dfg.valueInst(0))).toBe(0x7149f2ca);
  });

  it('parses integer immediates in decimal and hex, canonicalising i32 to sign-extended', () => {
    const func = parseFunction(`function %i() -> i32, i64, i64 {
block0:
    v0 = iconst.i32 4294967295
    v1 = iconst.i64 -9223372036854775808
    v2 = iconst.i64 0xffff_ffff_ffff_fffe
    return v0, v1, v2
}`);
    const dfg = func.dfg;
    expect([dfg.immLo(0), dfg.immHi(0)]).toEqual([-1, -1]);
    expect([dfg.immLo(1), dfg.immHi(1)]).toEqual([0, 0x80000000 | 0]);
    expect([dfg.immLo(2), dfg.immHi(2)]).toEqual([-2, -1]);
    expect(printFunction(func)).toContain('v0 = iconst.i32 -1\n    v1 = iconst.i64 0x8000000000000000\n' +
      '    v2 = iconst.i64 -2\n');
  });

  it('handles quoted names, comments and several functions', () => {
    const funcs = parseFunctions(`; two functions
function %"wasm func #3"() {   ; trailing comment
block0:
    return
}

function %second(i32) system_v {
block0(v0: i32):
    return
}
`);
    expect(funcs.map((f) => f.name)).toEqual(['wasm func #3', 'second']);
    expect(printFunction(funcs[0]!)).toBe('function %"wasm func #3"() {\nblock0:\n    return\n}\n');
    expect(printFunction(funcs[1]!)).toBe('function %second(i32) system_v {\nblock0(v0: i32):\n    return\n}\n');
  });

  it('reports errors with line and column', () => {
    const cases: [string, RegExp][] = [
      ['function %f() {\nblock0:\n    v0 = icmp.i32 eq v1, v2\n}', /line 3, column 10: icmp takes no type suffix/],
      ['function %f() {\nblock0:\n    v0 = frob v1\n}', /line 3, column 10: unknown opcode 'frob'/],
      ['function %f() {\nblock0:\n    v0 = iconst 1\n}', /line 3, column 10: iconst needs a type suffix/],
      ['function %f() {\nblock0:\n    return v7\n}', /line 3, column 12: v7 is used but never defined/],
      ['function %f() {\nblock0:\n    jump block9\n}', /line 3, column 10: block9 is used but never defined/],
      ['function %f() {\nblock0:\n    v0 = iconst.i32 1\n    v0 = iconst.i32 2\n}', /line 4, column 5: v0 is defined twice/],
      ['function %f() {\nblock0:\n    trap bogus\n}', /line 3, column 10: unknown trap code 'bogus'/],
      ['function %f(i64) {\nblock0(v0: i64):\n    v1 = load.i32 heap table v0\n}',
        /line 3, column 24: a memory access has at most one region/],
      ['function %f() {\nblock0:\n    v0 = f32const 1.2.3\n}', /line 3, column 19: expected an f32 constant/],
      ['function %f() {\nblock0:\n    v0 = iconst.i64 99999999999999999999\n}', /expected an integer/],
      ['function %f() {\nblock0:\n    store v0\n}', /line 4, column 1: expected ',' between operands, found '}'/],
      ['function %f() {\nblock0:\n    v0, v1 = iconst.i32 1\n}', /iconst produces 1 result\(s\), but 2 are named/],
      ['function %f() {\nblock0:\n    v0 = icmp foo v1, v1\n}', /unknown integer condition code 'foo'/],
      ['function %f() {\n    fn0 = func 1 sig0\nblock0:\n    return\n}', /line 2, column 18: sig0 is not declared/],
      ['function %f(i32 vmctx) {\nblock0:\n    return\n}', /the vmctx parameter must be i64/],
      ['function %f() {\nblock0:\n    return', /missing '}'/],
      ['function %f() {\nblock0:\n    v1 = iadd v0, v0 # x\n}', /unexpected character '#'/],
      ['function %f() {\nblock0:\n    v1 = load.i64 v0+4294967296\n}', /offset 4294967296 does not fit/],
    ];
    for (const [text, re] of cases) {
      let error: unknown;
      try {
        parseFunction(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(IrParseError);
      expect((error as Error).message, text).toMatch(re);
    }
  });
});
