// Runs compiled IR for real: a tiny linker and entry/raise machinery, just enough for the isel execution tests (the
// runtime has the real ones).
//
// - The module's code, a test trampoline per called signature and a raise routine share one code region, so every
//   CallRel32 relocation (function index → its start; TRAP_RAISE_TARGET → the raise routine) is a rel32.
// - tramp(vmctx, fn, args*, results*) → 0: pushes the callee-saved registers, records rsp in a native cell, loads
//   8-byte argument slots into their ABI locations (incl. stack arguments and a return area), calls fn, stores the
//   results. raise: records the trap's return address, restores the recorded rsp and returns 1 through the same pops.
// - The VMContext is a native block: [vmctx + 0] → VMInterrupts (stack limit at +0, fuel at +8);
//   [vmctx + 32] = base of a 64 KiB native heap (IR tests load it with `load.i64 notrap aligned readonly vmctx v0+32`).

import {
  allocateCode,
  allocateNative,
  nativeFunction,
  nativeStackBounds,
  readU64,
  writeU64,
  type CodeRegion,
} from '../../native/index.js';
import { CallConv, F32, F64, parseFunctions, type IrFunction, type Signature } from '../../src/ir/index.js';
import {
  AluOp,
  Assembler,
  R11,
  R12,
  R13,
  R14,
  R15,
  RAX,
  RBP,
  RBX,
  RCX,
  RDX,
  RSI,
  RSP,
  SseOp,
  mem,
} from '../../src/x64/index.js';
import { AbiLocKind } from '../../src/x64/abi.js';
import {
  ModuleCodeBuilder,
  TRAP_RAISE_TARGET,
  sigLayout,
  type CompileOptions,
  type CompiledModuleCode,
} from '../../src/isel/index.js';
import { trapCodeName } from '../../src/ir/index.js';
import { MODERN_CPU, parseAndVerify } from './helpers.js';

export const HEAP_SIZE = 64 * 1024;
const VMCTX_HEAP_BASE = 32;

export interface CallResult {
  /** Trap name (e.g. 'int_divz') or null. */
  readonly trap: string | null;
  /** Raw 64-bit patterns of the results. */
  readonly results: bigint[];
  /** For traps: the trap site's pending fuel and wasm offset. */
  readonly trapFuel?: number;
  readonly trapWasmOffset?: number;
}

export type Arg = number | bigint;

/** A compiled, linked, callable module. */
export class ExecModule {
  readonly vmctx: bigint;
  readonly interrupts: bigint;
  readonly heap: bigint;
  private readonly tramps: ((vmctx: bigint, fn: bigint, args: BigUint64Array, results: BigUint64Array) => number)[] = [];

  private constructor(
    readonly code: CompiledModuleCode,
    readonly funcs: IrFunction[],
    readonly region: CodeRegion,
    private readonly trampOffsets: number[],
    /** Native cells: [0] rsp saved by the trampoline, [8] return address of the last trap. */
    private readonly cells: bigint,
  ) {
    this.interrupts = allocateNative(64);
    this.vmctx = allocateNative(64);
    this.heap = allocateNative(HEAP_SIZE);
    writeU64(this.vmctx, this.interrupts);
    writeU64(this.vmctx + BigInt(VMCTX_HEAP_BASE), this.heap);
    writeU64(this.interrupts, 0n); // stack limit: nothing traps
    writeU64(this.interrupts + 8n, 0n);
  }

  static build(text: string, options: CompileOptions & { verify?: boolean } = {}): ExecModule {
    const funcs = options.verify === false ? parseFunctions(text) : parseAndVerify(text);
    const builder = new ModuleCodeBuilder({ cpu: MODERN_CPU, checkAllocation: true, ...options });
    funcs.forEach((f, i) => builder.addFunction(f, i));
    const code = builder.finish();
    return ExecModule.link(code, funcs);
  }

  static link(code: CompiledModuleCode, funcs: IrFunction[]): ExecModule {
    // Machinery after the module: one trampoline per function, then raise.
    const cells = allocateNative(16);
    const a = new Assembler();
    const trampLabels: number[] = [];
    const exitLabel = a.newLabel();
    for (const f of funcs) {
      const l = a.newLabel();
      a.align(16);
      a.bind(l);
      trampLabels.push(l);
      emitTrampoline(a, f.signature, cells, exitLabel);
    }
    a.align(16);
    const raiseLabel = a.newLabel();
    a.bind(raiseLabel);
    // raise: [rsp] = the trap site's return address.
    a.pop(RCX);
    a.movRI64(RAX, Number(cells & 0xffffffffn) | 0, Number(cells >> 32n) | 0);
    a.movMR(8, mem(RAX, 8), RCX);
    a.movRM(8, RSP, mem(RAX, 0));
    a.movRI(4, RAX, 1);
    a.bind(exitLabel);
    a.pop(R15);
    a.pop(R14);
    a.pop(R13);
    a.pop(R12);
    a.pop(RBX);
    a.pop(RBP);
    a.ret();
    const machinery = a.finish();
    const machineryStart = (code.bytes.length + 15) & ~15;
    const region = allocateCode(machineryStart + machinery.bytes.length);
    region.write(0, code.bytes);
    region.write(machineryStart, machinery.bytes);
    const raiseAt = machineryStart + machinery.labelOffset(raiseLabel);
    const startOf = new Map<number, number>();
    for (const f of code.functions) startOf.set(f.funcIndex, f.start);
    for (const r of code.relocations) {
      const target = r.target === TRAP_RAISE_TARGET ? raiseAt : startOf.get(r.target);
      if (target === undefined) throw new Error(`unresolved relocation target ${r.target}`);
      const value = target + r.addend - r.offset;
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setInt32(0, value, true);
      region.write(r.offset, bytes);
    }
    region.seal();
    return new ExecModule(
      code,
      funcs,
      region,
      trampLabels.map((l) => machineryStart + machinery.labelOffset(l)),
      cells,
    );
  }

  /** Sets VMInterrupts.stackLimit. */
  setStackLimit(limit: bigint): void {
    writeU64(this.interrupts, limit);
  }

  /** A stack limit `margin` bytes above the low end of the stack machine code runs on. */
  static stackLimitWithMargin(margin: number): bigint {
    return nativeStackBounds().low + BigInt(margin);
  }

  readU64(address: bigint): bigint {
    return readU64(address);
  }

  call(funcIndex: number, args: readonly Arg[]): CallResult {
    const f = this.funcs[funcIndex];
    const sig = f.signature;
    let tramp = this.tramps[funcIndex];
    if (tramp === undefined) {
      tramp = nativeFunction(this.region.address + BigInt(this.trampOffsets[funcIndex]), {
        params: ['u64', 'u64', 'ptr', 'ptr'],
        result: 'i32',
      }) as (vmctx: bigint, fn: bigint, args: BigUint64Array, results: BigUint64Array) => number;
      this.tramps[funcIndex] = tramp;
    }
    const start = this.code.functions.find((x) => x.funcIndex === funcIndex)!.start;
    const argSlots = new BigUint64Array(Math.max(1, sig.params.length));
    for (let i = 1; i < sig.params.length; i++) argSlots[i] = toBits(args[i - 1], sig.params[i]);
    const resultSlots = new BigUint64Array(Math.max(1, sig.results.length));
    const status = tramp(this.vmctx, this.region.address + BigInt(start), argSlots, resultSlots);
    if (status !== 0) {
      const pc = readU64(this.cells + 8n);
      const offset = Number(pc - this.region.address);
      const k = this.code.trapTable.lookup(offset);
      if (k < 0) return { trap: `unknown trap site at offset 0x${offset.toString(16)}`, results: [] };
      return {
        trap: trapCodeName(this.code.trapTable.codes[k]),
        results: [],
        trapFuel: this.code.trapTable.fuel[k],
        trapWasmOffset: this.code.trapTable.wasmOffsets[k],
      };
    }
    return { trap: null, results: Array.from(resultSlots.subarray(0, sig.results.length)) };
  }

  free(): void {
    this.region.free();
  }
}

function toBits(x: Arg | undefined, type: number): bigint {
  if (x === undefined) throw new Error('missing argument');
  if (type === F64) return typeof x === 'bigint' ? x : f64Bits(x);
  if (type === F32) return typeof x === 'bigint' ? x : BigInt(f32Bits(x));
  return typeof x === 'bigint' ? BigInt.asUintN(64, x) : BigInt.asUintN(64, BigInt(x));
}

const scratch = new DataView(new ArrayBuffer(8));
export function f64Bits(x: number): bigint {
  scratch.setFloat64(0, x, true);
  return scratch.getBigUint64(0, true);
}
export function f32Bits(x: number): number {
  scratch.setFloat32(0, x, true);
  return scratch.getUint32(0, true);
}
export function bitsF64(b: bigint): number {
  scratch.setBigUint64(0, b, true);
  return scratch.getFloat64(0, true);
}
export function bitsF32(b: bigint): number {
  scratch.setUint32(0, Number(b & 0xffffffffn), true);
  return scratch.getFloat32(0, true);
}
export function i32Of(b: bigint): number {
  return Number(BigInt.asIntN(32, b));
}
export function i64Of(b: bigint): bigint {
  return BigInt.asIntN(64, b);
}

/** tramp(vmctx = rdi, fn = rsi, args = rdx, results = rcx). */
function emitTrampoline(a: Assembler, sig: Signature, cells: bigint, exit: number): void {
  if (sig.callConv !== CallConv.fast || sig.vmctxParam !== 0) throw new Error('test trampolines need fast signatures with vmctx');
  const layout = sigLayout(sig);
  a.push(RBP);
  a.movRR(8, RBP, RSP);
  a.push(RBX);
  a.push(R12);
  a.push(R13);
  a.push(R14);
  a.push(R15);
  a.movRI64(R11, Number(cells & 0xffffffffn) | 0, Number(cells >> 32n) | 0);
  a.movMR(8, mem(R11, 0), RSP);
  // rsp ≡ 8 (mod 16) here; keep the call aligned.
  const frame = layout.stackArgBytes + layout.returnAreaBytes + 8;
  a.aluRI(AluOp.Sub, 8, RSP, (frame + 15) & ~15 | 8);
  a.movRR(8, R12, RSI);
  a.movRR(8, R13, RDX);
  a.movRR(8, R14, RCX);
  for (let i = 1; i < sig.params.length; i++) {
    const loc = layout.params[i];
    const slot = mem(R13, 8 * i);
    if (loc.kind === AbiLocKind.Stack) {
      a.movRM(8, R11, slot);
      a.movMR(8, mem(RSP, loc.value), R11);
    } else if (loc.value >= 16) {
      a.xmmRM(SseOp.Movsd, loc.value, slot);
    } else {
      a.movRM(8, loc.value, slot);
    }
  }
  if (layout.returnAreaReg >= 0) a.lea(8, layout.returnAreaReg, mem(RSP, layout.stackArgBytes));
  a.callR(R12);
  for (let k = 0; k < layout.results.length; k++) {
    const loc = layout.results[k];
    const slot = mem(R14, 8 * k);
    if (loc.kind === AbiLocKind.ReturnArea) {
      a.movRM(8, R11, mem(RSP, layout.stackArgBytes + loc.value));
      a.movMR(8, slot, R11);
    } else if (loc.value >= 16) {
      a.xmmMR(SseOp.Movsd, slot, loc.value);
    } else {
      a.movMR(8, slot, loc.value);
    }
  }
  a.aluRR(AluOp.Xor, 4, RAX, RAX);
  a.movRI64(R11, Number(cells & 0xffffffffn) | 0, Number(cells >> 32n) | 0);
  a.movRM(8, RSP, mem(R11, 0));
  a.jmp(exit);
}
