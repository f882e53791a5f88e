// The backend's entry points: IR function(s) → x86-64 machine code with relocations, a trap table and a code map.
//
// Design: one Assembler per module (ModuleCodeBuilder). Functions are appended one after another (16-byte aligned)
// into the same buffer, so nothing is copied between functions; constants are shared and deduplicated module-wide in
// one pool after the code (16-byte aligned: the module must be mapped at a 16-byte aligned address, which page-
// aligned code memory is). compileFunction() is the one-function case.
//
// Per function: lowerFunction (IR → VCode) → allocateRegisters (regalloc.ts) → [checkAllocation] → Emitter.

import type { IrFunction } from '../ir/index.js';
import { Assembler, type Relocation } from '../x64/index.js';
import { checkAllocation } from './regalloc-checker.js';
import { sysvMachineEnv } from './regalloc-env.js';
import { allocateRegisters } from './regalloc.js';
import type { MachineEnv, RegAllocOutput } from './regalloc-types.js';
import { Emitter, type EmitOptions } from './emit.js';
import { IselError } from './errors.js';
import { Lowerer, type LowerOptions } from './lower.js';
import type { VCode } from './vcode.js';

export interface CompileOptions extends LowerOptions, EmitOptions {
  /** Run the symbolic register-allocation checker on every function (tests; costs about as much as allocation). */
  readonly checkAllocation?: boolean;
}

/** One trap site: `offset` is the return address of its `call raise` (what the raise routine sees). */
export interface TrapSite {
  readonly offset: number;
  readonly code: number;
  /** Wasm byte offset of the trapping instruction, -1 when unknown. */
  readonly wasmOffset: number;
  /** Fuel pending at the site: the raise routine adds it to the counter so counts are exact at traps. */
  readonly fuel: number;
  readonly funcIndex: number;
}

/** Code-map entry of one function: [start, end) in the module's bytes. */
export interface FunctionCode {
  readonly funcIndex: number;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Bytes of stack frame below the saved rbp. */
  readonly frameSize: number;
  readonly numSpillSlots: number;
  readonly numVCodeInsts: number;
  readonly numIrInsts: number;
}

export interface CompiledModuleCode {
  /** Code of all functions, int3 padding, then the constant pool. */
  readonly bytes: Uint8Array;
  /** Bytes of code (the constant pool starts at or after this). */
  readonly codeSize: number;
  /**
   * CallRel32 relocations: target ≥ 0 is a function index (direct calls), TRAP_RAISE_TARGET (-1) the runtime's raise
   * routine. Patch each with S + addend − P (P = the field's address).
   */
  readonly relocations: readonly Relocation[];
  /** Code map, in address order. */
  readonly functions: readonly FunctionCode[];
  /** Trap table sorted by offset (offsets are unique: one `call` per site). */
  readonly trapTable: TrapTable;
  /** Return addresses of calls (for backtraces: wasm offset of each call site), sorted by offset. */
  readonly callSites: CallSiteTable;
  /** [start, end) byte ranges of data inside the code (jump tables), for disassemblers. */
  readonly dataRanges: readonly (readonly [number, number])[];
}

export class TrapTable {
  constructor(
    readonly offsets: Int32Array,
    readonly codes: Uint8Array,
    readonly wasmOffsets: Int32Array,
    readonly fuel: Int32Array,
    readonly funcIndices: Int32Array,
  ) {}

  get length(): number {
    return this.offsets.length;
  }

  /** Index of the site whose return address is `offset`, or -1. */
  lookup(offset: number): number {
    const o = this.offsets;
    let lo = 0;
    let hi = o.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (o[mid] === offset) return mid;
      if (o[mid] < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  site(i: number): TrapSite {
    return {
      offset: this.offsets[i],
      code: this.codes[i],
      wasmOffset: this.wasmOffsets[i],
      fuel: this.fuel[i],
      funcIndex: this.funcIndices[i],
    };
  }
}

export interface CallSiteTable {
  readonly offsets: Int32Array;
  readonly wasmOffsets: Int32Array;
  readonly funcIndices: Int32Array;
}

/** Index in `functions` of the function containing code offset `offset`, or -1. */
export function functionAt(functions: readonly FunctionCode[], offset: number): number {
  let lo = 0;
  let hi = functions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const f = functions[mid];
    if (offset < f.start) hi = mid - 1;
    else if (offset >= f.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

interface PendingFunction {
  funcIndex: number;
  name: string;
  start: number;
  end: number;
  frameSize: number;
  numSpillSlots: number;
  numVCodeInsts: number;
  numIrInsts: number;
  trapLabels: readonly number[];
  trapCodes: readonly number[];
  trapSrcLocs: readonly number[];
  trapFuel: readonly number[];
  callLabels: readonly number[];
  callSrcLocs: readonly number[];
  jumpTableLabels: readonly number[];
  jumpTableSizes: readonly number[];
}

/** Counters over everything compiled by a builder (for throughput figures). */
export interface CompileStats {
  functions: number;
  irInsts: number;
  vcodeInsts: number;
  lowerMs: number;
  regallocMs: number;
  checkMs: number;
  emitMs: number;
}

/** Compiles the functions of one module into one code buffer. */
export class ModuleCodeBuilder {
  readonly assembler: Assembler;
  private readonly env: MachineEnv = sysvMachineEnv();
  private readonly pending: PendingFunction[] = [];
  private readonly lowerer: Lowerer;
  readonly stats: CompileStats = { functions: 0, irInsts: 0, vcodeInsts: 0, lowerMs: 0, regallocMs: 0, checkMs: 0, emitMs: 0 };
  /** Measure per-phase times into `stats` (performance.now per phase). */
  timing = false;

  constructor(readonly options: CompileOptions = {}, initialCapacity = 64 * 1024) {
    this.assembler = new Assembler(initialCapacity);
    this.lowerer = new Lowerer(options);
  }

  /** Compiles `func` (function index `funcIndex`, used by the trap table and code map) into the module buffer. */
  addFunction(func: IrFunction, funcIndex: number): void {
    const t0 = this.timing ? performance.now() : 0;
    const vcode = this.lowerer.run(func);
    const t1 = this.timing ? performance.now() : 0;
    const alloc = allocate(vcode, this.env);
    const t2 = this.timing ? performance.now() : 0;
    if (this.options.checkAllocation === true) verifyAllocation(vcode, this.env, alloc);
    const t3 = this.timing ? performance.now() : 0;
    const a = this.assembler;
    if (this.pending.length > 0) a.align(16);
    const start = a.newLabel();
    let emitted;
    try {
      emitted = new Emitter(a, vcode, alloc, this.options).emitFunction(start);
    } catch (e) {
      if (e instanceof IselError) throw e;
      throw new IselError(`${func.name}: emission failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const t4 = this.timing ? performance.now() : 0;
    const s = this.stats;
    s.functions++;
    s.irInsts += vcode.numIrInsts;
    s.vcodeInsts += vcode.numInsts;
    if (this.timing) {
      s.lowerMs += t1 - t0;
      s.regallocMs += t2 - t1;
      s.checkMs += t3 - t2;
      s.emitMs += t4 - t3;
    }
    this.pending.push({
      funcIndex,
      name: func.name,
      start: emitted.startLabel,
      end: emitted.endLabel,
      frameSize: emitted.frame.frameSize,
      numSpillSlots: emitted.frame.numSpillSlots,
      numVCodeInsts: vcode.numInsts,
      numIrInsts: vcode.numIrInsts,
      trapLabels: emitted.trapLabels,
      trapCodes: emitted.trapCodes,
      trapSrcLocs: emitted.trapSrcLocs,
      trapFuel: emitted.trapFuel,
      callLabels: emitted.callLabels,
      callSrcLocs: emitted.callSrcLocs,
      jumpTableLabels: emitted.jumpTableLabels,
      jumpTableSizes: emitted.jumpTableSizes,
    });
  }

  /** Resolves branches, constants and labels. The builder cannot be used afterwards. */
  finish(): CompiledModuleCode {
    const code = this.assembler.finish();
    const functions: FunctionCode[] = [];
    const dataRanges: [number, number][] = [];
    let numTraps = 0;
    let numCalls = 0;
    for (const p of this.pending) {
      numTraps += p.trapLabels.length;
      numCalls += p.callLabels.length;
    }
    // Trap and call tables as columns (no per-entry arrays), each entry also recorded as the sort key
    // offset * 2^22 + entry (exact in a float64 while there are fewer than 2^22 entries), so a plain numeric typed-
    // array sort orders them by offset; offsets are unique (one call per site), so this is the order a stable sort
    // by offset gives.
    const trapOffset = new Int32Array(numTraps);
    const trapCode = new Uint8Array(numTraps);
    const trapSrcLoc = new Int32Array(numTraps);
    const trapFuel = new Int32Array(numTraps);
    const trapFunc = new Int32Array(numTraps);
    const callOffset = new Int32Array(numCalls);
    const callSrcLoc = new Int32Array(numCalls);
    const callFunc = new Int32Array(numCalls);
    let t = 0;
    let c = 0;
    for (const p of this.pending) {
      for (let j = 0; j < p.jumpTableLabels.length; j++) {
        const at = code.labelOffset(p.jumpTableLabels[j]);
        dataRanges.push([at, at + 4 * p.jumpTableSizes[j]]);
      }
      functions.push({
        funcIndex: p.funcIndex,
        name: p.name,
        start: code.labelOffset(p.start),
        end: code.labelOffset(p.end),
        frameSize: p.frameSize,
        numSpillSlots: p.numSpillSlots,
        numVCodeInsts: p.numVCodeInsts,
        numIrInsts: p.numIrInsts,
      });
      for (let k = 0; k < p.trapLabels.length; k++, t++) {
        trapOffset[t] = code.labelOffset(p.trapLabels[k]);
        trapCode[t] = p.trapCodes[k];
        trapSrcLoc[t] = p.trapSrcLocs[k];
        trapFuel[t] = p.trapFuel[k];
        trapFunc[t] = p.funcIndex;
      }
      for (let k = 0; k < p.callLabels.length; k++, c++) {
        callOffset[c] = code.labelOffset(p.callLabels[k]);
        callSrcLoc[c] = p.callSrcLocs[k];
        callFunc[c] = p.funcIndex;
      }
    }
    const trapOrder = orderByOffset(trapOffset);
    const callOrder = orderByOffset(callOffset);
    const trapTable = new TrapTable(
      permute(trapOffset, trapOrder),
      permute(trapCode, trapOrder),
      permute(trapSrcLoc, trapOrder),
      permute(trapFuel, trapOrder),
      permute(trapFunc, trapOrder),
    );
    return {
      bytes: code.bytes,
      codeSize: code.codeSize,
      relocations: code.relocations,
      functions,
      trapTable,
      callSites: {
        offsets: permute(callOffset, callOrder),
        wasmOffsets: permute(callSrcLoc, callOrder),
        funcIndices: permute(callFunc, callOrder),
      },
      dataRanges,
    };
  }
}

const SORT_KEY_ENTRIES = 1 << 22;

/** Entry indices in increasing `offsets` order (ties keep entry order). */
function orderByOffset(offsets: Int32Array): Int32Array {
  const n = offsets.length;
  const order = new Int32Array(n);
  if (n < SORT_KEY_ENTRIES) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = offsets[i] * SORT_KEY_ENTRIES + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i] % SORT_KEY_ENTRIES;
  } else {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((x, y) => offsets[x] - offsets[y] || x - y);
    order.set(idx);
  }
  return order;
}

function permute<T extends Int32Array | Uint8Array>(column: T, order: Int32Array): T {
  const out = new (column.constructor as new (n: number) => T)(column.length);
  for (let i = 0; i < order.length; i++) out[i] = column[order[i]];
  return out;
}

/** One function compiled on its own (a module of one function; see ModuleCodeBuilder). */
export interface CompiledFunction extends CompiledModuleCode {
  readonly frameSize: number;
  readonly trapSites: readonly TrapSite[];
}

export function compileFunction(func: IrFunction, options: CompileOptions & { funcIndex?: number } = {}): CompiledFunction {
  const builder = new ModuleCodeBuilder(options, 4096);
  builder.addFunction(func, options.funcIndex ?? 0);
  const m = builder.finish();
  const trapSites: TrapSite[] = [];
  for (let i = 0; i < m.trapTable.length; i++) trapSites.push(m.trapTable.site(i));
  return { ...m, frameSize: m.functions[0].frameSize, trapSites };
}

function allocate(vcode: VCode, env: MachineEnv): RegAllocOutput {
  try {
    return allocateRegisters(vcode, env);
  } catch (e) {
    throw new IselError(`${vcode.func.name}: register allocation failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs the symbolic checker; throws IselError listing the first problems. */
export function verifyAllocation(vcode: VCode, env: MachineEnv, alloc: RegAllocOutput): void {
  const errors = checkAllocation(vcode, env, alloc, { maxErrors: 5 });
  if (errors.length > 0) {
    const lines = errors.map((e) => `inst ${e.inst} operand ${e.operand} v${e.vreg}: ${e.message}`);
    throw new IselError(`${vcode.func.name}: register allocation check failed:\n  ${lines.join('\n  ')}`);
  }
}
