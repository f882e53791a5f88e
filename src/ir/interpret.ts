/**
 * A reference interpreter for IR functions, with the exact wasm semantics of every opcode (the same
 * evaluators constant folding uses: passes/eval-int.ts, passes/eval-float.ts). For tests: checking that a
 * pass keeps a function's meaning, that the frontend translates wasm right, that lowering agrees with the IR.
 *
 * Values cross the API as `bigint` bit patterns (i32/f32: 32 bits, i64/f64: 64 bits; results come back
 * unsigned, arguments may be negative). Memory is one flat byte array: an address is an offset into it, and
 * any access outside it traps with `heap_oob` (whatever the flags say). Calls go to a host callback. Inside,
 * values live as two int32 halves in typed arrays.
 *
 * Trap codes, as src/ir/README.md defines them: the instruction's own (`trap`, `trapz`, `trapnz`); `int_divz`
 * for a zero divisor; `int_ovf` for `sdiv` INT_MIN / -1; `bad_conversion` for a trapping float-to-int
 * conversion of NaN or of an out-of-range value.
 */
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst } from './ids.js';
import { Format, OPCODE_FORMAT, Opcode, memAccessBytes, opcodeName } from './opcodes.js';
import type { ExtFuncData, Signature } from './signature.js';
import { TrapCode } from './trapcodes.js';
import { F32, I32, I64, type Type } from './types.js';
import {
  ConvertResult, evalBitcast, evalFloatBinary, evalFloatCompare, evalFloatConvert, evalFloatToInt,
  evalFloatUnary, evalIntToFloat,
} from './passes/eval-float.js';
import { evalIntBinary, evalIntCompare, evalIntUnary } from './passes/eval-int.js';

/** What a call instruction asks the host to run. */
export type CallTarget =
  | { kind: 'direct'; func: ExtFuncData; funcRef: number }
  | { kind: 'indirect'; sig: Signature; callee: bigint };

/** Thrown by a host callback to make the call trap with `code`. */
export class HostTrap extends Error {
  constructor(readonly code: number) {
    super(`host trap ${code}`);
    this.name = 'HostTrap';
  }
}

export interface InterpreterOptions {
  /** The address space of loads and stores (default: empty, so every access traps). */
  memory?: Uint8Array;
  /** Runs a call; returns one bit pattern per signature result. Default: throws (calls unsupported). */
  call?: (target: CallTarget, args: bigint[], memory: Uint8Array) => bigint[];
  /** Instructions to execute before giving up with `timeout` (default 1e6). */
  maxSteps?: number;
  /** Initial value of the pinned register (default 0). */
  pinned?: bigint;
}

export type Outcome =
  | { kind: 'return'; values: bigint[] }
  | { kind: 'trap'; code: number; inst: Inst }
  | { kind: 'timeout' };

/** The unsigned bit pattern of `v` for a value of type `t`. */
export function bitsOf(t: Type, v: bigint): bigint {
  return BigInt.asUintN(t === I32 || t === F32 ? 32 : 64, v);
}

/** Runs `func` on `args` (one bit pattern per signature parameter). */
export function interpret(func: IrFunction, args: readonly bigint[], options: InterpreterOptions = {}): Outcome {
  return new Interpreter(func, options).run(args);
}

const EMPTY_MEMORY = new Uint8Array(0);

class Interpreter {
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly out = new Int32Array(2);
  private readonly memory: Uint8Array;
  private readonly view: DataView;
  private pinnedLo: number;
  private pinnedHi: number;
  private readonly argLo: number[] = [];
  private readonly argHi: number[] = [];

  constructor(
    private readonly func: IrFunction,
    private readonly options: InterpreterOptions,
  ) {
    const nv = func.dfg.numValues;
    this.lo = new Int32Array(nv);
    this.hi = new Int32Array(nv);
    this.memory = options.memory ?? EMPTY_MEMORY;
    this.view = new DataView(this.memory.buffer, this.memory.byteOffset, this.memory.byteLength);
    const pinned = BigInt.asUintN(64, options.pinned ?? 0n);
    this.pinnedLo = Number(pinned & 0xffffffffn) | 0;
    this.pinnedHi = Number(pinned >> 32n) | 0;
  }

  private setBig(v: number, t: Type, x: bigint): void {
    const bits = bitsOf(t, x);
    this.lo[v] = Number(bits & 0xffffffffn) | 0;
    this.hi[v] = t === I32 ? this.lo[v]! >> 31 : t === F32 ? 0 : Number(bits >> 32n) | 0;
  }

  private getBig(v: number): bigint {
    const t = this.func.dfg.valueType(v);
    const lo = BigInt(this.lo[v]! >>> 0);
    if (t === I32 || t === F32) return lo;
    return (BigInt(this.hi[v]! >>> 0) << 32n) | lo;
  }

  private set(v: number, lo: number, hi: number): void {
    this.lo[v] = lo;
    this.hi[v] = hi;
  }

  run(args: readonly bigint[]): Outcome {
    const { dfg, layout, signature } = this.func;
    const entry = layout.firstBlock;
    if (entry === NONE) throw new Error(`interpret(%${this.func.name}): the function has no blocks`);
    if (args.length !== signature.params.length) {
      throw new Error(`interpret(%${this.func.name}): ${args.length} argument(s) for ${signature.params.length} parameter(s)`);
    }
    for (let i = 0; i < args.length; i++) this.setBig(dfg.blockParam(entry, i), signature.params[i]!, args[i]!);
    const maxSteps = this.options.maxSteps ?? 1_000_000;
    let steps = 0;
    let block: Block = entry;
    for (;;) {
      let inst = layout.firstInst(block);
      let nextBlock: Block = NONE;
      while (inst !== NONE) {
        if (++steps > maxSteps) return { kind: 'timeout' };
        const op = dfg.opcode(inst);
        const format = OPCODE_FORMAT[op];
        if (format === Format.Jump || format === Format.Brif || format === Format.BranchTable) {
          nextBlock = this.branch(inst, op);
          break;
        }
        if (op === Opcode.return) {
          const n = dfg.numArgs(inst);
          const values: bigint[] = [];
          for (let i = 0; i < n; i++) values.push(this.getBig(dfg.arg(inst, i)));
          return { kind: 'return', values };
        }
        const trap = this.exec(inst, op);
        if (trap !== 0) return { kind: 'trap', code: trap, inst };
        inst = layout.nextInst(inst);
      }
      if (nextBlock === NONE) throw new Error(`interpret(%${this.func.name}): block${block} has no terminator`);
      block = nextBlock;
    }
  }

  /** Takes a branch: assigns the destination's parameters (in parallel) and returns the destination. */
  private branch(inst: Inst, op: number): Block {
    const dfg = this.func.dfg;
    let k = 0;
    if (op === Opcode.brif) {
      const c = dfg.arg(inst, 0);
      k = this.lo[c] !== 0 || (dfg.valueType(c) === I64 && this.hi[c] !== 0) ? 0 : 1;
    } else if (op === Opcode.br_table) {
      const index = this.lo[dfg.arg(inst, 0)]! >>> 0;
      k = index < dfg.numDests(inst) - 1 ? index + 1 : 0;
    }
    const dest = dfg.destBlock(inst, k);
    const n = dfg.numDestArgs(inst, k);
    const argLo = this.argLo;
    const argHi = this.argHi;
    for (let i = 0; i < n; i++) {
      const a = dfg.destArg(inst, k, i);
      argLo[i] = this.lo[a]!;
      argHi[i] = this.hi[a]!;
    }
    for (let i = 0; i < n; i++) this.set(dfg.blockParam(dest, i), argLo[i]!, argHi[i]!);
    return dest;
  }

  /** Executes a non-branch instruction; returns 0 or a trap code. */
  private exec(inst: Inst, op: number): number {
    const dfg = this.func.dfg;
    const lo = this.lo;
    const hi = this.hi;
    const out = this.out;
    const t = dfg.instType(inst);
    const r = dfg.firstResult(inst);
    switch (OPCODE_FORMAT[op]) {
      case Format.UnaryImm:
        this.set(r, dfg.immLo(inst), t === I32 ? dfg.immLo(inst) >> 31 : dfg.immHi(inst));
        return 0;
      case Format.Binary: {
        const a = dfg.arg(inst, 0);
        const b = dfg.arg(inst, 1);
        if (t === I32 || t === I64) {
          if (!evalIntBinary(op, t, lo[a]!, hi[a]!, lo[b]!, hi[b]!, out)) return this.divTrap(op, t, b);
        } else if (!evalFloatBinary(op, t, lo[a]!, hi[a]!, lo[b]!, hi[b]!, out)) this.bad(inst);
        this.set(r, out[0]!, out[1]!);
        return 0;
      }
      case Format.BinaryImm: {
        const a = dfg.arg(inst, 0);
        const immHi = t === I32 ? dfg.immLo(inst) >> 31 : dfg.immHi(inst);
        if (!evalIntBinary(op, t, lo[a]!, hi[a]!, dfg.immLo(inst), immHi, out)) this.bad(inst);
        this.set(r, out[0]!, out[1]!);
        return 0;
      }
      case Format.Unary:
        return this.unary(inst, op, t, r);
      case Format.Ternary: {
        const c = dfg.arg(inst, 0);
        const nonZero = lo[c] !== 0 || (dfg.valueType(c) === I64 && hi[c] !== 0);
        const src = dfg.arg(inst, nonZero ? 1 : 2);
        this.set(r, lo[src]!, hi[src]!);
        return 0;
      }
      case Format.IntCompare: {
        const a = dfg.arg(inst, 0);
        const b = dfg.arg(inst, 1);
        const holds = evalIntCompare(dfg.condCode(inst), dfg.valueType(a), lo[a]!, hi[a]!, lo[b]!, hi[b]!);
        this.set(r, holds ? 1 : 0, 0);
        return 0;
      }
      case Format.IntCompareImm: {
        const a = dfg.arg(inst, 0);
        const at = dfg.valueType(a);
        const immHi = at === I32 ? dfg.immLo(inst) >> 31 : dfg.immHi(inst);
        const holds = evalIntCompare(dfg.condCode(inst), at, lo[a]!, hi[a]!, dfg.immLo(inst), immHi);
        this.set(r, holds ? 1 : 0, 0);
        return 0;
      }
      case Format.FloatCompare: {
        const a = dfg.arg(inst, 0);
        const b = dfg.arg(inst, 1);
        const holds = evalFloatCompare(dfg.condCode(inst), dfg.valueType(a), lo[a]!, hi[a]!, lo[b]!, hi[b]!);
        this.set(r, holds ? 1 : 0, 0);
        return 0;
      }
      case Format.Load:
        return this.load(inst, op, t, r);
      case Format.Store:
        return this.store(inst, op);
      case Format.Trap:
        return dfg.trapCode(inst);
      case Format.CondTrap: {
        const c = dfg.arg(inst, 0);
        const nonZero = lo[c] !== 0 || (dfg.valueType(c) === I64 && hi[c] !== 0);
        return (op === Opcode.trapz ? !nonZero : nonZero) ? dfg.trapCode(inst) : 0;
      }
      case Format.Call: case Format.CallIndirect:
        return this.call(inst, op);
      case Format.Nullary: // get_pinned_reg
        this.set(r, this.pinnedLo, this.pinnedHi);
        return 0;
      default:
        this.bad(inst);
    }
  }

  private divTrap(op: number, t: Type, divisor: number): number {
    const zero = this.lo[divisor] === 0 && (t === I32 || this.hi[divisor] === 0);
    if (zero) return TrapCode.int_divz;
    if (op === Opcode.sdiv) return TrapCode.int_ovf;
    throw new Error(`interpret: ${opcodeName(op)} failed without a zero divisor`);
  }

  private unary(inst: Inst, op: number, t: Type, r: number): number {
    const dfg = this.func.dfg;
    const out = this.out;
    if (op === Opcode.set_pinned_reg) {
      const x = dfg.arg(inst, 0);
      this.pinnedLo = this.lo[x]!;
      this.pinnedHi = this.hi[x]!;
      return 0;
    }
    const x = dfg.arg(inst, 0);
    const xt = dfg.valueType(x);
    const xlo = this.lo[x]!;
    const xhi = this.hi[x]!;
    switch (op) {
      case Opcode.fcvt_to_sint: case Opcode.fcvt_to_uint: case Opcode.fcvt_to_sint_sat: case Opcode.fcvt_to_uint_sat: {
        const res = evalFloatToInt(op, t, xt, xlo, xhi, out);
        if (res !== ConvertResult.ok) return TrapCode.bad_conversion;
        break;
      }
      case Opcode.fcvt_from_sint: case Opcode.fcvt_from_uint:
        evalIntToFloat(op, t, xt, xlo, xhi, out);
        break;
      case Opcode.fpromote: case Opcode.fdemote:
        evalFloatConvert(op, xlo, xhi, out);
        break;
      case Opcode.bitcast:
        evalBitcast(t, xlo, xhi, out);
        break;
      default:
        if (t === I32 || t === I64) {
          if (!evalIntUnary(op, t, xlo, xhi, out)) this.bad(inst);
        } else if (!evalFloatUnary(op, t, xlo, xhi, out)) this.bad(inst);
    }
    this.set(r, out[0]!, out[1]!);
    return 0;
  }

  /** The byte address of a load/store, or -1 when the access does not fit the memory. */
  private address(addrValue: number, offset: number, bytes: number): number {
    const a = (this.hi[addrValue]! >>> 0) * 4294967296 + (this.lo[addrValue]! >>> 0) + offset;
    return a >= 0 && a + bytes <= this.memory.length ? a : -1;
  }

  private load(inst: Inst, op: number, t: Type, r: number): number {
    const dfg = this.func.dfg;
    const bytes = memAccessBytes(op, t);
    const a = this.address(dfg.arg(inst, 0), dfg.offset(inst), bytes);
    if (a < 0) return TrapCode.heap_oob;
    const view = this.view;
    let lo: number;
    let hi = 0;
    switch (op) {
      case Opcode.uload8: lo = view.getUint8(a); break;
      case Opcode.sload8: lo = view.getInt8(a); hi = lo >> 31; break;
      case Opcode.uload16: lo = view.getUint16(a, true); break;
      case Opcode.sload16: lo = view.getInt16(a, true); hi = lo >> 31; break;
      case Opcode.uload32: lo = view.getInt32(a, true); break;
      case Opcode.sload32: lo = view.getInt32(a, true); hi = lo >> 31; break;
      default:
        lo = view.getInt32(a, true);
        if (bytes === 8) hi = view.getInt32(a + 4, true);
        else if (t === I32) hi = lo >> 31;
    }
    // Narrow loads into an i32 keep the canonical sign-extended upper half.
    if (t === I32) hi = lo >> 31;
    this.set(r, lo | 0, hi);
    return 0;
  }

  private store(inst: Inst, op: number): number {
    const dfg = this.func.dfg;
    const v = dfg.arg(inst, 0);
    const bytes = memAccessBytes(op, dfg.valueType(v));
    const a = this.address(dfg.arg(inst, 1), dfg.offset(inst), bytes);
    if (a < 0) return TrapCode.heap_oob;
    const view = this.view;
    const lo = this.lo[v]!;
    switch (bytes) {
      case 1: view.setUint8(a, lo & 0xff); break;
      case 2: view.setUint16(a, lo & 0xffff, true); break;
      case 4: view.setInt32(a, lo, true); break;
      default:
        view.setInt32(a, lo, true);
        view.setInt32(a + 4, this.hi[v]!, true);
    }
    return 0;
  }

  private call(inst: Inst, op: number): number {
    const dfg = this.func.dfg;
    const call = this.options.call;
    if (call === undefined) throw new Error(`interpret(%${this.func.name}): ${opcodeName(op)} needs a call callback`);
    const sig = dfg.callSignature(inst);
    const first = op === Opcode.call_indirect ? 1 : 0;
    const args: bigint[] = [];
    const n = dfg.numArgs(inst);
    for (let i = first; i < n; i++) args.push(this.getBig(dfg.arg(inst, i)));
    const target: CallTarget = op === Opcode.call
      ? { kind: 'direct', func: dfg.extFuncs[dfg.funcRef(inst)]!, funcRef: dfg.funcRef(inst) }
      : { kind: 'indirect', sig, callee: this.getBig(dfg.arg(inst, 0)) };
    let results: bigint[];
    try {
      results = call(target, args, this.memory);
    } catch (e) {
      if (e instanceof HostTrap) return e.code;
      throw e;
    }
    const nr = dfg.numResults(inst);
    if (results.length !== nr) {
      throw new Error(`interpret: the host returned ${results.length} value(s) for a call with ${nr} result(s)`);
    }
    for (let i = 0; i < nr; i++) this.setBig(dfg.result(inst, i), sig.results[i]!, results[i]!);
    return 0;
  }

  private bad(inst: Inst): never {
    throw new Error(`interpret(%${this.func.name}): cannot execute inst${inst} (${opcodeName(this.func.dfg.opcode(inst))})`);
  }
}
