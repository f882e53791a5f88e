/**
 * The translator's API and the details of the IR it builds: signature and names, errors, source locations, which
 * VMContext loads are hoisted and readonly, heap access flags and offsets, calls, and reuse of an IR function.
 * (Compile throughput: translate-throughput.mjs, on the built dist/ — vitest's module runner slows hot loops.)
 */
import { describe, expect, it } from 'vitest';
import { CompileError, Op, OperatorReader, parseAndValidate, type ModuleInfo } from '../../src/frontend/index.js';
import { FunctionTranslator, moduleSignatureIds, translateFunction } from '../../src/frontend/translate.js';
import {
  I32,
  I64,
  IntCC,
  IrFunction,
  MemFlag,
  NONE,
  Opcode,
  printFunction,
  TrapCode,
  verifyFunction,
  type Inst,
} from '../../src/ir/index.js';
import { VMOffsets, VMINTERRUPTS_FUEL } from '../../src/frontend/vm-offsets.js';
import { wat } from './wasm-builder.js';

async function moduleOf(text: string): Promise<ModuleInfo> {
  return parseAndValidate(await wat(text));
}

/** Every instruction of `ir` in layout order. */
function insts(ir: IrFunction): Inst[] {
  const out: Inst[] = [];
  for (let b = ir.layout.firstBlock; b !== NONE; b = ir.layout.nextBlock(b)) {
    for (let i = ir.layout.firstInst(b); i !== NONE; i = ir.layout.nextInst(i)) out.push(i);
  }
  return out;
}

function withOpcode(ir: IrFunction, op: number): Inst[] {
  return insts(ir).filter((i) => ir.dfg.opcode(i) === op);
}

/** Byte offsets of the operators `op` in function `f`'s body. */
function operatorOffsets(m: ModuleInfo, f: number, op: number): number[] {
  const decl = m.functions[f];
  const r = new OperatorReader(m.bytes);
  r.reset(m.bytes, decl.bodyStart, decl.bodyEnd, f);
  r.readLocals(m.types[decl.typeIndex].params);
  const out: number[] = [];
  while (r.pos < decl.bodyEnd) if (r.next() === op) out.push(r.opOffset);
  return out;
}

describe('translateFunction: API', () => {
  it('gives the IR signature (i64 vmctx, params…) -> results and names the function', async () => {
    const m = await moduleOf(`(module (func (param f32 i64) (result i32 f64) (i32.const 1) (f64.const 2)))`);
    const ir = translateFunction(m, 0);
    expect(ir.signature.toString()).toBe('(i64 vmctx, f32, i64) -> i32, f64');
    expect(ir.signature.vmctxParam).toBe(0);
    expect(ir.name).toBe('f0');
    expect(translateFunction(m, 0, { name: 'main' }).name).toBe('main');
    expect(verifyFunction(ir)).toEqual([]);
  });

  it('rejects what is not a defined function, and bad options, with clear errors', async () => {
    const m = await moduleOf(`(module (import "a" "b" (func)) (func))`);
    expect(() => translateFunction(m, 0)).toThrow(/function 0 is not a defined function/);
    expect(() => translateFunction(m, 7)).toThrow(RangeError);
    expect(() => translateFunction(m, 1, { fuel: 'lots' as 'off' })).toThrow(/unknown fuel strategy 'lots'/);
    expect(() => translateFunction(m, 1, { trapFuel: 'x' as 'blocks' })).toThrow(/unknown trapFuel 'x'/);
    expect(() => translateFunction(m, 1, { signatureIds: new Int32Array(0) })).toThrow(/signatureIds has 0 entries/);
  });

  it('reports SIMD as unsupported: a CompileError naming the operator, offset and function', async () => {
    const m = await moduleOf(`(module (func (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))`);
    let error: unknown;
    try {
      translateFunction(m, 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CompileError);
    const e = error as CompileError;
    expect(e.reason).toMatch(/unsupported by the translator: SIMD operator v128\.const/);
    expect(e.functionIndex).toBe(0);
    expect(e.offset).toBe(operatorOffsets(m, 0, Op.V128_CONST)[0]);
  });

  it('reports v128 in function, block and callee types as unsupported too', async () => {
    const cases = [
      '(module (func (param v128)))',
      '(module (func (block (result v128) unreachable) drop))',
      '(module (func $f (result v128) unreachable) (func (drop (call $f))))',
    ];
    for (const text of cases) {
      const m = await moduleOf(text);
      expect(() => translateFunction(m, m.functions.length - 1)).toThrow(/unsupported by the translator: .*\(SIMD\)/);
    }
  });

  it('reuses an IR function given as `into`, with the same result as a fresh one', async () => {
    const m = await moduleOf(`(module (memory 1)
      (func (param i32) (result i32) (i32.load (local.get 0)))
      (func (param i64) (result i64) (loop (br_if 0 (i64.eqz (local.get 0)))) (local.get 0)))`);
    const t = new FunctionTranslator();
    const into = new IrFunction();
    for (const f of [0, 1, 0, 1]) {
      for (const fuel of ['off', 'variable', 'memory'] as const) {
        const reused = t.translate(m, f, { fuel }, into);
        expect(reused).toBe(into);
        expect(printFunction(reused)).toBe(printFunction(translateFunction(m, f, { fuel })));
      }
    }
  });
});

describe('the IR the translator builds', () => {
  it('stamps each instruction with the byte offset of its operator', async () => {
    const m = await moduleOf(`(module (func (param i32 i32) (result i32)
      (i32.mul (i32.add (local.get 0) (local.get 1)) (i32.const 3))))`);
    const ir = translateFunction(m, 0);
    const add = withOpcode(ir, Opcode.iadd);
    const mul = withOpcode(ir, Opcode.imul);
    expect(add.map((i) => ir.dfg.srcLoc(i))).toEqual(operatorOffsets(m, 0, Op.I32_ADD));
    expect(mul.map((i) => ir.dfg.srcLoc(i))).toEqual(operatorOffsets(m, 0, Op.I32_MUL));
    expect(ir.dfg.srcLoc(withOpcode(ir, Opcode.return)[0])).toBe(operatorOffsets(m, 0, Op.END)[0]);
  });

  it('loads the VMInterrupts and memory-definition pointers once, readonly, at the top of the entry block', async () => {
    const m = await moduleOf(`(module (memory 1) (func (param i32) (result i32)
      (loop (br_if 0 (i32.load (local.get 0))))
      (i32.add (i32.load (local.get 0)) (i32.load offset=8 (local.get 0)))))`);
    const ir = translateFunction(m, 0, { fuel: 'variable', epoch: true });
    const dfg = ir.dfg;
    const vmctx = dfg.blockParam(ir.layout.firstBlock, 0);
    const fromVmctx = withOpcode(ir, Opcode.load).filter((i) => dfg.arg(i, 0) === vmctx);
    const offsets = new VMOffsets(m);
    expect(fromVmctx.map((i) => dfg.offset(i)).sort((a, b) => a - b)).toEqual([0, offsets.memoryDefinitionPointer(0)]);
    for (const i of fromVmctx) {
      expect(dfg.memFlags(i)).toBe(MemFlag.notrap | MemFlag.aligned | MemFlag.readonly | MemFlag.vmctx);
      expect(ir.layout.instBlock(i)).toBe(ir.layout.firstBlock);
      expect(dfg.srcLoc(i)).toBe(-1);
    }
  });

  it('bounds-checks heap accesses against the current length; length and base are not readonly', async () => {
    const m = await moduleOf(`(module (memory 1) (func (param i32) (result i64)
      (i64.load offset=16 (local.get 0))))`);
    const ir = translateFunction(m, 0);
    const dfg = ir.dfg;
    const loads = withOpcode(ir, Opcode.load);
    const heap = loads.filter((i) => dfg.memFlags(i) & MemFlag.heap);
    expect(heap.length).toBe(1);
    expect(dfg.memFlags(heap[0])).toBe(MemFlag.notrap | MemFlag.heap);
    expect(dfg.offset(heap[0])).toBe(16);
    const lengthAndBase = loads.filter((i) => dfg.memFlags(i) === (MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx));
    expect(lengthAndBase.map((i) => dfg.offset(i)).sort()).toEqual([0, 8]);
    // ea + size = zext(index) + 16 + 8 must not exceed the length: zext(index) > length - 24 (signed) traps
    const length = lengthAndBase.find((i) => dfg.offset(i) === 8)!;
    const limit = withOpcode(ir, Opcode.iadd_imm)[0];
    expect(dfg.immLo(limit)).toBe(-24);
    expect(dfg.args(limit)).toEqual([dfg.firstResult(length)]);
    const check = withOpcode(ir, Opcode.icmp)[0];
    expect(dfg.condCode(check)).toBe(IntCC.sgt);
    const zext = withOpcode(ir, Opcode.uextend)[0];
    expect(dfg.args(check)).toEqual([dfg.firstResult(zext), dfg.firstResult(limit)]);
    const trap = withOpcode(ir, Opcode.trapnz)[0];
    expect(dfg.trapCode(trap)).toBe(TrapCode.heap_oob);
  });

  it('adds an offset that does not fit the signed 32-bit immediate to the address instead', async () => {
    const m = await moduleOf(`(module (memory 1) (func (param i32) (i32.store8 offset=0x80000000 (local.get 0) (i32.const 7))))`);
    const ir = translateFunction(m, 0);
    const store = withOpcode(ir, Opcode.istore8)[0];
    expect(ir.dfg.offset(store)).toBe(0);
    const adds = withOpcode(ir, Opcode.iadd_imm).map((i) => ir.dfg.immNumber(i));
    expect(adds).toEqual([-0x80000001, 0x80000000]); // the bounds limit (length - offset - size), the address
  });

  it('compares call_indirect callees with the given canonical signature id', async () => {
    const m = await moduleOf(`(module (type $t (func (param i32) (result i32))) (table 1 funcref)
      (func (param i32) (result i32) (call_indirect (type $t) (local.get 0) (local.get 0))))`);
    const ir = translateFunction(m, 0, { signatureIds: Int32Array.of(4242, 0) });
    const dfg = ir.dfg;
    const sigCheck = withOpcode(ir, Opcode.icmp_imm).find((i) => dfg.immLo(i) === 4242);
    expect(sigCheck).toBeDefined();
    const codes = [...withOpcode(ir, Opcode.trapnz), ...withOpcode(ir, Opcode.trapz)].map((i) => dfg.trapCode(i)).sort();
    expect(codes).toEqual([TrapCode.table_oob, TrapCode.indirect_null, TrapCode.bad_sig].sort());
    expect(withOpcode(ir, Opcode.call_indirect).length).toBe(1);
  });

  it('by default gives structurally equal types the same signature id', async () => {
    const m = await moduleOf(`(module (type $a (func (param i32))) (type $b (func (result f64))) (type $c (func (param i32))))`);
    expect(moduleSignatureIds(m)).toEqual(Int32Array.of(0, 1, 0));
  });

  it('calls defined functions directly and imported ones through their VMFunctionImport', async () => {
    const m = await moduleOf(`(module (import "env" "f" (func $imp (param i32)))
      (func $own (param i32)) (func (param i32) (call $imp (local.get 0)) (call $own (local.get 0))))`);
    const ir = translateFunction(m, 2);
    const dfg = ir.dfg;
    const direct = withOpcode(ir, Opcode.call);
    expect(direct.length).toBe(1);
    expect(dfg.extFuncs[dfg.funcRef(direct[0])].toString()).toBe('func 1 sig0');
    const indirect = withOpcode(ir, Opcode.call_indirect)[0];
    const codeLoad = dfg.valueInst(dfg.arg(indirect, 0));
    const vmctxLoad = dfg.valueInst(dfg.arg(indirect, 1));
    const at = new VMOffsets(m).importedFunction(0);
    expect([dfg.offset(codeLoad), dfg.offset(vmctxLoad)]).toEqual([at, at + 8]);
    expect(dfg.memFlags(codeLoad) & MemFlag.readonly).toBe(MemFlag.readonly);
  });

  it('reads immutable globals readonly and mutable ones not', async () => {
    const m = await moduleOf(`(module (global $c i32 (i32.const 1)) (global $v (mut i64) (i64.const 2))
      (func (result i64) (i64.add (i64.extend_i32_u (global.get $c)) (global.get $v))))`);
    const ir = translateFunction(m, 0);
    const dfg = ir.dfg;
    const loads = withOpcode(ir, Opcode.load);
    const offsets = new VMOffsets(m);
    const c = loads.find((i) => dfg.offset(i) === offsets.definedGlobalCell(0))!;
    const v = loads.find((i) => dfg.offset(i) === offsets.definedGlobalCell(1))!;
    expect(dfg.instType(c)).toBe(I32);
    expect(dfg.instType(v)).toBe(I64);
    expect(dfg.memFlags(c) & MemFlag.readonly).toBe(MemFlag.readonly);
    expect(dfg.memFlags(v) & MemFlag.readonly).toBe(0);
  });

  it('with trapFuel annotate, trap sites carry their pending fuel and no block is split', async () => {
    const m = await moduleOf(`(module (memory 1) (func (param i32 i32) (result i32)
      (i32.div_u (i32.load (local.get 0)) (local.get 1))))`);
    const annotated = translateFunction(m, 0, { fuel: 'memory', trapFuel: 'annotate' });
    const dfg = annotated.dfg;
    const trapnz = withOpcode(annotated, Opcode.trapnz).filter((i) => dfg.trapCode(i) === TrapCode.heap_oob)[0];
    expect(dfg.trapFuel(trapnz)).toBe(2); // local.get, i32.load
    expect(dfg.trapFuel(withOpcode(annotated, Opcode.udiv)[0])).toBe(4); // + local.get, i32.div_u
    const blocks = translateFunction(m, 0, { fuel: 'memory' });
    expect(annotated.countBlocks()).toBeLessThan(blocks.countBlocks());
    expect(insts(blocks).every((i) => blocks.dfg.trapFuel(i) === 0)).toBe(true);
    // With trap blocks, the counter stores of the two cold paths add 2 and 4.
    const added = withOpcode(blocks, Opcode.iadd_imm)
      .filter((i) => {
        const src = blocks.dfg.valueInst(blocks.dfg.arg(i, 0));
        // the counter load (offset 8 of the interrupts) — not the memory length (offset 8 of the definition)
        return src !== NONE && blocks.dfg.offset(src) === VMINTERRUPTS_FUEL && blocks.dfg.immLo(i) > 0;
      })
      .map((i) => blocks.dfg.immLo(i))
      .sort();
    expect(added).toEqual([2, 4, 4]); // two trap paths, and the flush before the return
  });
});
