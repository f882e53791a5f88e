import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { TrapCode } from '../../src/ir/trapcodes.js';
import { trapError } from '../../src/runtime/traps.js';
import { classifyError } from './trap-class.js';

const TRAPS_WAT = `(module
  (type $v (func))
  (type $i (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $nop)
  (memory 1)
  (func $nop)
  (func (export "unreachable") unreachable)
  (func (export "div0") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func (export "rem0") (result i64) (i64.rem_u (i64.const 1) (i64.const 0)))
  (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "conversion") (result i32) (i32.trunc_f64_s (f64.const nan)))
  (func (export "load") (result i32) (i32.load (i32.const 65534)))
  (func (export "fill") (memory.fill (i32.const 65000) (i32.const 0) (i32.const 1000)))
  (func (export "table") (call_indirect (type $v) (i32.const 5)))
  (func (export "null") (call_indirect (type $v) (i32.const 1)))
  (func (export "signature") (result i32) (call_indirect (type $i) (i32.const 0)))
  (func $recurse (export "recurse") (call $recurse))
  (func (export "takes_i64") (param i64))
)`;

const V8_EXPECTED: Record<string, string> = {
  unreachable: 'trap unreachable',
  div0: 'trap integer-divide-by-zero',
  rem0: 'trap integer-divide-by-zero',
  overflow: 'trap integer-overflow',
  conversion: 'trap invalid-conversion',
  load: 'trap memory-out-of-bounds',
  fill: 'trap memory-out-of-bounds',
  table: 'trap table-out-of-bounds',
  null: 'trap indirect-call-null-or-signature',
  signature: 'trap indirect-call-null-or-signature',
  recurse: 'trap stack-overflow',
  takes_i64: 'error TypeError', // a Number where the JS API wants a BigInt: a JS error, not a trap
};

async function instantiateTraps(): Promise<Record<string, (...args: unknown[]) => unknown>> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('traps.wat', TRAPS_WAT, { bulk_memory: true });
  try {
    const bytes = Uint8Array.from(parsed.toBinary({}).buffer);
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as never;
  } finally {
    parsed.destroy();
  }
}

describe('classifyError', () => {
  it("maps each of V8's real trap messages to its class", async () => {
    const exports = await instantiateTraps();
    const got: Record<string, string> = {};
    for (const name of Object.keys(V8_EXPECTED)) {
      try {
        exports[name](1);
        got[name] = 'returned';
      } catch (e) {
        got[name] = classifyError(e).key;
      }
    }
    expect(got).toEqual(V8_EXPECTED);
  });

  it("maps kindling's trap messages (src/runtime/traps.ts) to the same classes", () => {
    const key = (code: number) => classifyError(trapError(code)).key;
    expect(key(TrapCode.unreachable)).toBe('trap unreachable');
    expect(key(TrapCode.int_divz)).toBe('trap integer-divide-by-zero');
    expect(key(TrapCode.int_ovf)).toBe('trap integer-overflow');
    expect(key(TrapCode.bad_conversion)).toBe('trap invalid-conversion');
    expect(key(TrapCode.heap_oob)).toBe('trap memory-out-of-bounds');
    expect(key(TrapCode.table_oob)).toBe('trap table-out-of-bounds');
    expect(key(TrapCode.indirect_null)).toBe('trap indirect-call-null-or-signature');
    expect(key(TrapCode.bad_sig)).toBe('trap indirect-call-null-or-signature');
    expect(key(TrapCode.stack_overflow)).toBe('trap stack-overflow');
    expect(key(TrapCode.out_of_fuel)).toBe('trap out-of-fuel');
  });

  it('keeps the message as detail, and unknown traps and non-errors distinct', () => {
    const e = new WebAssembly.RuntimeError('something new');
    expect(classifyError(e)).toEqual({ key: 'trap other(something new)', detail: 'RuntimeError: something new' });
    expect(classifyError(new TypeError('x')).key).toBe('error TypeError');
    expect(classifyError(42).key).toBe('throw number');
  });
});
