/**
 * Turns an entry trampoline's trap status into what the JS caller sees: the original JS exception when an imported
 * function threw, else a RuntimeError with the trap code (from a builtin's pending trap, or from the trap site's row
 * in its module's trap table) and a wasm backtrace rebuilt from the return addresses raise recorded.
 *
 * The RuntimeError's `stack` shows the wasm frames first, V8-style, then the JS frames of the caller:
 *
 *   RuntimeError: integer divide by zero
 *       at div (wasm-module-1:wasm-function[2]:0x4f)
 *       at main (wasm-module-1:wasm-function[3]:0x63)
 *       at file:///…/caller.js:10:5
 */
import { activation, type TrapSnapshot } from './activation.js';
import { CodeKind, findCodeRange, type CodeRange } from './code-map.js';
import { RuntimeError, type WasmFrame } from './errors.js';
import { takePending } from './trap-state.js';
import { trapError } from './traps.js';

/** Whoever can take fuel a trap site left pending (the store of the instance that was called). */
export interface PendingFuelSink {
  chargePendingFuel(amount: number): void;
}

/** The value to throw after an entry trampoline returned a nonzero status. */
export function trapOutcome(fuelSink: PendingFuelSink | null = null, calledFunction?: (...args: never[]) => unknown): unknown {
  const record = activation();
  record.trapped[0] = 0;
  const pending = takePending();
  if (pending.hasException) return pending.exception;
  const snapshot = record.snapshot();
  let code = pending.trapCode;
  let siteFunc = -1;
  let siteOffset = -1;
  const site = findCodeRange(snapshot.pc - 1);
  if (site !== null && site.kind === CodeKind.Wasm && site.trapTable !== null) {
    const table = site.trapTable;
    const row = table.find(snapshot.pc - site.start);
    if (row >= 0) {
      if (code === 0) code = table.codes[row]!;
      siteFunc = table.funcIndices[row]!;
      siteOffset = table.wasmOffsets[row]!;
      if (fuelSink !== null && table.fuel !== null) fuelSink.chargePendingFuel(table.fuel[row]!);
    }
  }
  const frames = backtrace(snapshot, siteFunc, siteOffset);
  const error =
    code === 0
      ? new RuntimeError(`trap at an unknown site (pc 0x${snapshot.pc.toString(16)}, no trap table entry)`, -1, frames)
      : trapError(code, frames);
  // The JS part of the stack starts at whoever called the exported function (the runtime's own frames are noise).
  if (calledFunction !== undefined) Error.captureStackTrace(error, calledFunction);
  addWasmFramesToStack(error, frames);
  return error;
}

function functionNameIn(range: CodeRange, funcIndex: number): string {
  return range.functionNames?.[funcIndex] ?? `f${funcIndex}`;
}

/** Wasm frames, innermost first: the trap site, then each return address that lies in wasm code. */
function backtrace(snapshot: TrapSnapshot, siteFunc: number, siteOffset: number): WasmFrame[] {
  const frames: WasmFrame[] = [];
  const add = (pc: number, innermost: boolean): void => {
    const range = findCodeRange(pc - 1); // pc - 1: a return address belongs to its call instruction
    if (range === null || range.kind !== CodeKind.Wasm) return;
    const offset = pc - range.start;
    let funcIndex = range.functions !== null ? range.functions.find(offset - 1) : -1;
    let moduleOffset = -1;
    if (innermost) {
      if (siteFunc >= 0) funcIndex = siteFunc;
      moduleOffset = siteOffset;
    } else if (range.callSites) {
      moduleOffset = range.callSites.wasmOffsetAt(offset);
    }
    frames.push({ funcIndex, moduleOffset, module: range.name, pc, name: funcIndex >= 0 ? functionNameIn(range, funcIndex) : '' });
  };
  add(snapshot.pc, true);
  for (const pc of snapshot.frames) add(pc, false);
  return frames;
}

/** One stack line per wasm frame, in V8's shape: `at name (module:wasm-function[i]:0xoffset)`. */
export function formatWasmFrame(frame: WasmFrame): string {
  const where = `${frame.module}:wasm-function[${frame.funcIndex}]${frame.moduleOffset >= 0 ? `:0x${frame.moduleOffset.toString(16)}` : ''}`;
  return frame.name !== '' ? `    at ${frame.name} (${where})` : `    at ${where}`;
}

/** Puts the wasm frames between the message line and the JS frames of `error.stack`. */
function addWasmFramesToStack(error: Error, frames: readonly WasmFrame[]): void {
  if (frames.length === 0) return;
  const stack = error.stack;
  if (typeof stack !== 'string') return;
  const head = `${error.name}: ${error.message}`;
  const rest = stack.startsWith(head) ? stack.slice(head.length) : `\n${stack}`;
  const lines = frames.map(formatWasmFrame).join('\n');
  error.stack = `${head}\n${lines}${rest}`;
}
