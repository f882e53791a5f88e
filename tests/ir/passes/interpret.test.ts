/** The reference IR interpreter (src/ir/interpret.ts), which the pass tests rely on. */
import { describe, expect, it } from 'vitest';
import { TrapCode, parseFunction } from '../../../src/ir/index.js';
import { HostTrap, interpret, type CallTarget } from '../../../src/ir/interpret.js';
import { ir } from './helpers.js';

describe('IR interpreter', () => {
  it('computes integer and float results, i64 as unsigned bit patterns', () => {
    const f = parseFunction(ir`
      function %f(i32, i64, f64) -> i32, i64, f64, f32 {
      block0(v0: i32, v1: i64, v2: f64):
          v3 = imul_imm v0, 3
          v4 = sextend.i64 v3
          v5 = iadd v4, v1
          v6 = f64const 0.5
          v7 = fadd v2, v6
          v8 = fdemote.f32 v7
          return v3, v5, v7, v8
      }
    `);
    const out = interpret(f, [-5n, 10n, 0x4000000000000000n]); // 2.0
    expect(out).toEqual({ kind: 'return', values: [0xfffffff1n, 0xfffffffffffffffbn, 0x4004000000000000n, 0x40200000n] });
  });

  it('passes block arguments in parallel and picks br_table entries and the default', () => {
    const f = parseFunction(ir`
      function %swap(i32, i32, i32) -> i32, i32 {
      block0(v0: i32, v1: i32, v2: i32):
          br_table v2, block3(v0, v1), [block1(v0, v1), block2(v0, v1)]

      block1(v3: i32, v4: i32):
          jump block3(v4, v3)

      block2(v5: i32, v6: i32):
          v7 = iconst.i32 0
          jump block4(v5, v6, v7)

      block4(v8: i32, v9: i32, v10: i32):
          brif v10, block3(v8, v9), block4(v9, v8, v9)

      block3(v11: i32, v12: i32):
          return v11, v12
      }
    `);
    expect(interpret(f, [1n, 2n, 0n])).toEqual({ kind: 'return', values: [2n, 1n] });
    expect(interpret(f, [1n, 2n, 1n])).toEqual({ kind: 'return', values: [2n, 1n] });
    expect(interpret(f, [1n, 2n, 7n])).toEqual({ kind: 'return', values: [1n, 2n] });
  });

  it('loads and stores little-endian with narrow widths, and traps outside memory', () => {
    const f = parseFunction(ir`
      function %mem(i64, i32) -> i32, i64, i32 {
      block0(v0: i64, v1: i32):
          store heap v1, v0+4
          v2 = sload8.i32 heap v0+4
          v3 = uload16.i64 heap v0+4
          v4 = load.i32 heap v0+2
          return v2, v3, v4
      }
    `);
    const memory = new Uint8Array(16);
    expect(interpret(f, [0n, 0x1234fff0n], { memory })).toEqual(
      { kind: 'return', values: [0xfffffff0n, 0xfff0n, 0xfff00000n] },
    );
    expect([...memory.slice(4, 8)]).toEqual([0xf0, 0xff, 0x34, 0x12]);
    const out = interpret(f, [10n, 1n], { memory });
    expect(out.kind === 'trap' && out.code).toBe(TrapCode.heap_oob);
  });

  it('raises the wasm traps of divisions, conversions and trap instructions', () => {
    const f = parseFunction(ir`
      function %traps(i32, i32, f64) -> i32, i32 {
      block0(v0: i32, v1: i32, v2: f64):
          v3 = sdiv v0, v1
          v4 = fcvt_to_sint.i32 v2
          trapnz v4, unreachable
          return v3, v4
      }
    `);
    const trap = (args: bigint[]) => {
      const o = interpret(f, args);
      return o.kind === 'trap' ? o.code : o.kind;
    };
    expect(trap([7n, 0n, 0n])).toBe(TrapCode.int_divz);
    expect(trap([-0x80000000n, -1n, 0n])).toBe(TrapCode.int_ovf);
    expect(trap([7n, 2n, 0x7ff8000000000000n])).toBe(TrapCode.bad_conversion);
    expect(trap([7n, 2n, 0x41f0000000000000n])).toBe(TrapCode.bad_conversion); // 2^32: out of range
    expect(trap([7n, 2n, 0x3ff0000000000000n])).toBe(TrapCode.unreachable); // 1.0 -> 1, trapnz fires
    expect(interpret(f, [7n, 2n, 0n])).toEqual({ kind: 'return', values: [3n, 0n] });
  });

  it('calls the host (direct and indirect), which may trap; keeps the pinned register; times out', () => {
    const f = parseFunction(ir`
      function %calls(i64, i32) -> i32, i64 {
          sig0 = (i32) -> i32
          fn0 = func 3 sig0

      block0(v0: i64, v1: i32):
          v2 = call fn0(v1)
          v3 = call_indirect sig0, v0(v2)
          set_pinned_reg v0
          v4 = get_pinned_reg.i64
          return v3, v4
      }
    `);
    const seen: string[] = [];
    const call = (t: CallTarget, args: bigint[]) => {
      seen.push(t.kind === 'direct' ? `func ${t.func.index}(${args})` : `indirect ${t.callee}(${args})`);
      if (args[0] === 99n) throw new HostTrap(TrapCode.stack_overflow);
      return [args[0]! + 1n];
    };
    expect(interpret(f, [40n, 1n], { call })).toEqual({ kind: 'return', values: [3n, 40n] });
    expect(seen).toEqual(['func 3(1)', 'indirect 40(2)']);
    const o = interpret(f, [40n, 99n], { call });
    expect(o.kind === 'trap' && o.code).toBe(TrapCode.stack_overflow);
    const loop = parseFunction(ir`
      function %spin() {
      block0:
          jump block1

      block1:
          jump block1
      }
    `);
    expect(interpret(loop, [], { maxSteps: 1000 })).toEqual({ kind: 'timeout' });
  });
});
