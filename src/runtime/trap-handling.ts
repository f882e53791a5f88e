/**
 * Turns an entry trampoline's trap status into what the JS caller sees: the original JS exception when an imported
 * function threw, else a RuntimeError with the trap code (from a builtin's pending trap, or from the trap site's row
 * in its module's trap table) and a wasm backtrace rebuilt from the return addresses raise recorded.
 */
import { activation, type TrapSnapshot } from './activation.js';
import { CodeKind, findCodeRange } from './code-map.js';
import { RuntimeError, type WasmFrame } from './errors.js';
import { takePending } from './trap-state.js';
import { trapError } from './traps.js';

/** The value to throw after an entry trampoline returned a nonzero status. */
export function trapOutcome(): unknown {
  const pending = takePending();
  if (pending.hasException) return pending.exception;
  const snapshot = activation().snapshot();
  let code = pending.trapCode;
  let siteFunc = -1;
  let siteOffset = -1;
  const site = findCodeRange(snapshot.pc - 1);
  if (site !== null && site.kind === CodeKind.Wasm && site.trapTable !== null) {
    const row = site.trapTable.find(snapshot.pc - site.start);
    if (row >= 0) {
      if (code === 0) code = site.trapTable.codes[row]!;
      siteFunc = site.trapTable.funcIndices[row]!;
      siteOffset = site.trapTable.wasmOffsets[row]!;
    }
  }
  const frames = backtrace(snapshot, siteFunc, siteOffset);
  if (code === 0) {
    return new RuntimeError(`trap at an unknown site (pc 0x${snapshot.pc.toString(16)}, no trap table entry)`, -1, frames);
  }
  return trapError(code, frames);
}

/** Wasm frames, innermost first: the trap site, then each return address that lies in wasm code. */
function backtrace(snapshot: TrapSnapshot, siteFunc: number, siteOffset: number): WasmFrame[] {
  const frames: WasmFrame[] = [];
  const add = (pc: number, innermost: boolean): void => {
    const range = findCodeRange(pc - 1); // pc - 1: a return address belongs to its call instruction
    if (range === null || range.kind !== CodeKind.Wasm) return;
    let funcIndex = range.functions !== null ? range.functions.find(pc - 1 - range.start) : -1;
    if (innermost && siteFunc >= 0) funcIndex = siteFunc;
    frames.push({ funcIndex, moduleOffset: innermost ? siteOffset : -1, module: range.name, pc });
  };
  add(snapshot.pc, true);
  for (const pc of snapshot.frames) add(pc, false);
  return frames;
}
