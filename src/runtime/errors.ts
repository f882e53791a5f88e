/**
 * The error classes of kindling's WebAssembly-compatible API. CompileError is the frontend's own class (the one it
 * throws), re-exported so that `instanceof` works across layers. LinkError and RuntimeError live here.
 */
export { CompileError } from '../frontend/errors.js';

/** An import that does not match what the module declares (missing, wrong kind, wrong type or limits). */
export class LinkError extends Error {}
Object.defineProperty(LinkError.prototype, 'name', { value: 'LinkError', writable: true, configurable: true });

/** One frame of a wasm backtrace: the function and, when the code map knows it, the wasm byte offset. */
export interface WasmFrame {
  /** Function index in the module's function index space, or -1 when the pc is not in known wasm code. */
  readonly funcIndex: number;
  /** Byte offset in the module of the trapping instruction (innermost frame) or of the call (outer frames), or -1. */
  readonly moduleOffset: number;
  /** Name of the module's code (as registered in the code map), or '' when unknown. */
  readonly module: string;
  /** The function's name (name section, else `f<index>`), or '' when unknown. */
  readonly name: string;
  /** The machine-code address (return address for outer frames). */
  readonly pc: number;
}

/**
 * A wasm trap. `trap` is the TrapCode (src/ir/trapcodes.ts) or -1 for a trap raised without a known code;
 * `wasmFrames` is the backtrace, innermost first.
 */
export class RuntimeError extends Error {
  readonly trap: number;
  readonly wasmFrames: readonly WasmFrame[];

  constructor(message: string, trap = -1, wasmFrames: readonly WasmFrame[] = []) {
    super(message);
    this.trap = trap;
    this.wasmFrames = wasmFrames;
  }
}
Object.defineProperty(RuntimeError.prototype, 'name', { value: 'RuntimeError', writable: true, configurable: true });
