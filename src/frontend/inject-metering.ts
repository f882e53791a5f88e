/**
 * injectMetering: a wasm → wasm rewriter that adds exact gas metering to a module, the way users meter wasm on engines
 * without native fuel (wasm-instrument / pwasm-utils gas metering, smart-contract VMs). It is the V8 baseline of the
 * fuel benchmarks: V8 TurboFan running the rewritten module versus kindling with native fuel, same counts.
 *
 * THE GAS GLOBAL. One mutable i64 global is added after all existing globals (imported globals come first in the index
 * space, so appending a defined global shifts no existing index). It holds the gas REMAINING, starts at
 * `initialGas` (default 0, like a new kindling store: the host sets it through the export before calling; a module
 * with a start function needs `initialGas`, since the start function runs inside instantiation), and is exported as
 * `exportName` (default `__kindling_gas`). Gas consumed = value set − value now.
 *
 * COST MODEL (kindling's and wasmtime's, ARCHITECTURE.md "Fuel"): 0 for nop, drop, block, loop, unreachable, return,
 * else, end; 1 for every other operator (SIMD and bulk operators included). The injected code itself costs nothing.
 *
 * RUNS. A function body is cut into straight-line runs. A new run starts:
 *   - at the function's first operator;
 *   - after `loop` (the loop header: every iteration starts there, so every iteration is charged);
 *   - after `if` and after `else` (each arm);
 *   - after the `end` of an `if`, and after the `end` of a `block` that some branch targets (control joins there);
 *   - after `br_if` (it may fall through or not);
 *   - after `call` / `call_indirect` (option `splitAtCalls`, default true; see below).
 * A run also ends, with nothing after it until the enclosing `else`/`end`, at `br`, `br_table`, `return` and
 * `unreachable`; and at the function's final `end`. Neither `block` nor the `end` of a loop or of an untargeted block
 * ends a run: what follows them is reached only by falling through. Unreachable code (after br, br_table, return,
 * unreachable, up to the enclosing else/end) is left unmetered: it never runs.
 *
 * So every operator of a run runs once the run has started, unless something traps: the run's cost (the sum of its
 * operators' costs, its last operator — the branch, call, `if` — included) is charged at its start:
 *
 *     global.get $gas  i64.const COST  i64.sub  global.set $gas              (runs with COST > 0 only)
 *     global.get $gas  i64.const 0  i64.lt_s  if  unreachable  end           (the check; see `checks`)
 *
 * EXACTNESS. For a call that returns normally, gas consumed equals the cost of the operators executed, which is the
 * fuel kindling's store reports for the same call (fuelConsumed). With `checks: 'every-run'` (the default) a call
 * whose total cost is C completes with G ≥ C gas and traps (`unreachable`, a WebAssembly.RuntimeError) with G < C,
 * at the start of the first run it cannot pay for in full; the global is then negative (G minus the charges made so
 * far), so a trap with gas < 0 is an out-of-gas trap. Where the count differs from kindling's:
 *   - at other traps (division by zero, out-of-bounds access, the program's own `unreachable`), the operators after
 *     the trapping one in its run were already charged: at most one run more than kindling's exact count at traps;
 *     with `splitAtCalls` a trap or host exception inside a callee leaves the caller's count exact (the call ends the
 *     run), without it the caller has also paid for its operators after the call;
 *   - when gas runs out, kindling checks only at function entries and loop headers (and, per ARCHITECTURE.md, calls a
 *     counter ≥ 0 out of fuel), so the two stop at different points; the counts agree on every completed call.
 *
 * CHECKS. 'every-run' (default): every charged run checks, so execution never goes past the gas given.
 * 'entry-and-loops': only function entries and loop headers check (every run still charges), as kindling's fuel
 * checks are placed; cheaper, and still no loop or recursion runs unmetered, but straight-line code may overrun the
 * gas before the next check (as with kindling). Counts are identical under both policies.
 *
 * THE REST OF THE MODULE. The global and export sections get the new entry appended (created, in order, if absent),
 * the code section's bodies are rewritten (locals unchanged), every other section — custom sections included — is
 * copied byte for byte. Function indices and local indices do not change, so the name section stays right; code
 * offsets do change, so DWARF or source-map custom sections that point into code are stale after the rewrite.
 */
import { FunctionValidator } from './function-validator.js';
import { CheckPolicy, MeteringBodyRewriter } from './inject-metering-body.js';
import { ExternalKind, type ModuleInfo } from './module-info.js';
import { parseModule, toBytes, type WasmBytes } from './module-parser.js';
import { BinaryReader } from './binary-reader.js';
import { ByteWriter, listSections, SECTION_ORDER, SectionId, type SectionSpan } from './wasm-writer.js';

export { OPERATOR_COST } from './inject-metering-body.js';

export const DEFAULT_GAS_EXPORT = '__kindling_gas';

export interface InjectMeteringOptions {
  /** Export name of the gas global (default `__kindling_gas`); must not clash with an existing export. */
  exportName?: string;
  /** Initial value of the gas global (an i64; default 0). */
  initialGas?: bigint | number;
  /** End runs after call and call_indirect (default true: exact caller counts when a callee traps). */
  splitAtCalls?: boolean;
  /** Where the gas is checked (default 'every-run'). */
  checks?: 'every-run' | 'entry-and-loops';
  /** Validate the input completely first (default true); false only decodes the sections and walks the bodies. */
  validate?: boolean;
}

export interface MeteredModule {
  /** The rewritten module. */
  bytes: Uint8Array;
  /** Export name of the gas global. */
  gasGlobalExport: string;
  /** Index of the gas global in the global index space. */
  gasGlobalIndex: number;
  /** Charge sequences inserted (runs that cost something, plus zero-cost runs that check). */
  chargeSites: number;
  /** Of those, how many check the gas. */
  checkSites: number;
}

const I64_TYPE = 0x7e;
const MUTABLE = 0x01;
const OP_I64_CONST = 0x42;
const OP_END = 0x0b;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * Rewrites a module to count gas in an exported i64 global and trap when it runs out (semantics in this file's
 * header). Throws a CompileError for an invalid module, and an Error for bad options.
 */
export function injectMetering(source: WasmBytes, options: InjectMeteringOptions = {}): MeteredModule {
  const exportName = options.exportName ?? DEFAULT_GAS_EXPORT;
  const initialGas = toI64(options.initialGas ?? 0n);
  const splitAtCalls = options.splitAtCalls ?? true;
  const checks = options.checks ?? 'every-run';
  if (checks !== 'every-run' && checks !== 'entry-and-loops') {
    throw new Error(`injectMetering: options.checks must be 'every-run' or 'entry-and-loops', not ${JSON.stringify(checks)}`);
  }
  const bytes = toBytes(source);
  const module = parseModule(bytes);
  if (options.validate !== false) {
    const validator = new FunctionValidator();
    for (let i = 0, n = module.numDefinedFunctions; i < n; i++) validator.validate(module, i);
  }
  if (module.exports.some((e) => e.name === exportName)) {
    throw new Error(`injectMetering: the module already exports "${exportName}"; choose another options.exportName`);
  }
  const gasGlobalIndex = module.globals.length;
  const rewriter = new MeteringBodyRewriter(
    gasGlobalIndex,
    splitAtCalls,
    checks === 'every-run' ? CheckPolicy.EVERY_RUN : CheckPolicy.ENTRY_AND_LOOPS,
  );
  const spans = listSections(bytes);
  const out = new ByteWriter(bytes.length + (bytes.length >> 1) + 64);
  out.raw(bytes, 0, 8);
  let haveGlobalSection = spans.some((s) => s.id === SectionId.GLOBAL);
  let haveExportSection = spans.some((s) => s.id === SectionId.EXPORT);
  const payload = new ByteWriter();
  /** Writes the sections this module lacks and that must come before a section of order `order`. */
  const writeMissingSectionsBefore = (order: number): void => {
    if (!haveGlobalSection && order > SECTION_ORDER[SectionId.GLOBAL]) {
      payload.length = 0;
      payload.u32(1);
      writeGasGlobal(payload, initialGas);
      out.section(SectionId.GLOBAL, payload);
      haveGlobalSection = true;
    }
    if (!haveExportSection && order > SECTION_ORDER[SectionId.EXPORT]) {
      payload.length = 0;
      payload.u32(1);
      writeGasExport(payload, exportName, gasGlobalIndex);
      out.section(SectionId.EXPORT, payload);
      haveExportSection = true;
    }
  };
  for (const span of spans) {
    if (span.id !== SectionId.CUSTOM) writeMissingSectionsBefore(SECTION_ORDER[span.id]);
    switch (span.id) {
      case SectionId.GLOBAL:
        payload.length = 0;
        appendToVector(bytes, span, payload, 1);
        writeGasGlobal(payload, initialGas);
        out.section(SectionId.GLOBAL, payload);
        break;
      case SectionId.EXPORT:
        payload.length = 0;
        appendToVector(bytes, span, payload, 1);
        writeGasExport(payload, exportName, gasGlobalIndex);
        out.section(SectionId.EXPORT, payload);
        break;
      case SectionId.CODE:
        out.section(SectionId.CODE, rewriteCodeSection(module, span, rewriter));
        break;
      default:
        out.raw(bytes, span.start, span.end);
    }
  }
  writeMissingSectionsBefore(Infinity);
  return {
    bytes: out.toBytes(),
    gasGlobalExport: exportName,
    gasGlobalIndex,
    chargeSites: rewriter.chargeSites,
    checkSites: rewriter.checkSites,
  };
}

function toI64(value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Error(`injectMetering: options.initialGas must be an integer (a BigInt beyond 2^53), not ${value}`);
  }
  const v = BigInt(value);
  if (v < I64_MIN || v > I64_MAX) throw new Error(`injectMetering: options.initialGas ${v} does not fit in an i64`);
  return v;
}

/** Writes a section's vector with its count raised by `extra`, its existing entries copied unchanged. */
function appendToVector(bytes: Uint8Array, span: SectionSpan, payload: ByteWriter, extra: number): void {
  const r = new BinaryReader(bytes, span.payloadStart, span.end);
  r.inSection = true;
  const count = r.readVarU32();
  payload.u32(count + extra);
  payload.raw(bytes, r.pos, span.end);
}

/** A global entry: mut i64, initialized by `i64.const initialGas`. */
function writeGasGlobal(payload: ByteWriter, initialGas: bigint): void {
  payload.u8(I64_TYPE);
  payload.u8(MUTABLE);
  payload.u8(OP_I64_CONST);
  payload.s64(initialGas);
  payload.u8(OP_END);
}

function writeGasExport(payload: ByteWriter, name: string, globalIndex: number): void {
  payload.name(name);
  payload.u8(ExternalKind.GLOBAL);
  payload.u32(globalIndex);
}

function rewriteCodeSection(module: ModuleInfo, span: SectionSpan, rewriter: MeteringBodyRewriter): ByteWriter {
  const n = module.numDefinedFunctions;
  const code = new ByteWriter(span.end - span.payloadStart + ((span.end - span.payloadStart) >> 1) + 16);
  code.u32(n);
  for (let i = 0; i < n; i++) rewriter.rewrite(module, i, code);
  return code;
}
