/**
 * Errors thrown by an export call, reduced to a class both engines must agree on. The messages differ by engine (V8
 * says "divide by zero", the spec suite and kindling "integer divide by zero"), the kind of trap must not. Classes
 * that V8 does not tell apart are merged: it reports a null entry and a signature mismatch in call_indirect with one
 * message.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/unreachable/, 'unreachable'],
  [/divide by zero|remainder by zero/, 'integer-divide-by-zero'],
  [/integer overflow|divide result unrepresentable/, 'integer-overflow'],
  [/invalid conversion to integer|float unrepresentable in integer range/, 'invalid-conversion'],
  [/memory access out of bounds|out of bounds memory access|data segment .*out of bounds/, 'memory-out-of-bounds'],
  [/table index is out of bounds|out of bounds table access|undefined element|element segment .*out of bounds|table access out of bounds/, 'table-out-of-bounds'],
  [/null function|signature mismatch|indirect call to null|uninitialized element/, 'indirect-call-null-or-signature'],
  [/call stack exhausted|Maximum call stack size exceeded/, 'stack-overflow'],
  [/null reference|dereferencing a null pointer/, 'null-reference'],
  [/all fuel consumed/, 'out-of-fuel'],
];

export interface ErrorClass {
  /** Compared between engines: `trap <class>` for wasm traps (and stack overflow), else `error <Error name>`. */
  readonly key: string;
  /** The full message, shown in reports but not compared. */
  readonly detail: string;
}

export function classifyError(error: unknown): ErrorClass {
  if (!(error instanceof Error)) return { key: `throw ${typeof error}`, detail: String(error) };
  const detail = `${error.name}: ${error.message}`;
  const isTrap = error.name === 'RuntimeError' || (error.name === 'RangeError' && /call stack/.test(error.message));
  if (isTrap) {
    for (const [pattern, name] of RULES) if (pattern.test(error.message)) return { key: `trap ${name}`, detail };
    return { key: `trap other(${error.message})`, detail };
  }
  return { key: `error ${error.name}`, detail };
}
