/**
 * The one error class the frontend throws for any malformed or invalid module. The WebAssembly-compatible namespace
 * re-exports this same class as `WebAssembly.CompileError`.
 *
 * The message reads `<reason> at offset 0x<hex> (function <n>)`; the parts are also kept as fields so tools and tests
 * can inspect them without parsing text.
 */
export class CompileError extends Error {
  /** What is wrong, without location (e.g. "type mismatch: expected i32, found f64"). */
  readonly reason: string;
  /** Byte offset in the module where the problem was found, or -1 when unknown. */
  readonly offset: number;
  /** Function index (in the function index space, imports first) or -1 when not inside a function body. */
  readonly functionIndex: number;

  constructor(reason: string, offset = -1, functionIndex = -1) {
    let message = reason;
    if (offset >= 0) message += ` at offset 0x${offset.toString(16)}`;
    if (functionIndex >= 0) message += ` (function ${functionIndex})`;
    super(message);
    this.reason = reason;
    this.offset = offset;
    this.functionIndex = functionIndex;
  }
}

// On the prototype (like the built-in error classes), so instances print and compare as "CompileError".
Object.defineProperty(CompileError.prototype, 'name', { value: 'CompileError', writable: true, configurable: true });
