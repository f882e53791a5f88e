import { type Type, typeName } from './types.js';

/**
 * Calling conventions. `fast` is kindling's wasm-to-wasm convention (System V registers, callee vmctx first,
 * extra results through a return area); `system_v` is the plain C convention used for runtime builtins.
 */
export const CallConv = {
  fast: 0,
  system_v: 1,
} as const;
export type CallConv = number;
const CALL_CONV_NAMES = ['fast', 'system_v'];

export function callConvName(cc: CallConv): string {
  return CALL_CONV_NAMES[cc] ?? `callconv?${cc}`;
}

/** The convention for a name, or -1. */
export function parseCallConv(name: string): CallConv {
  return CALL_CONV_NAMES.indexOf(name);
}

/**
 * A function signature: parameter and result types, which parameter (if any) carries the VMContext pointer,
 * and the calling convention. Text: `(i64 vmctx, i32) -> i32, i64` (`system_v` appended when not `fast`).
 */
export class Signature {
  constructor(
    public params: Type[] = [],
    public results: Type[] = [],
    /** Index of the `vmctx` parameter (an i64), or -1. */
    public vmctxParam = -1,
    public callConv: CallConv = CallConv.fast,
  ) {}

  clone(): Signature {
    return new Signature(this.params.slice(), this.results.slice(), this.vmctxParam, this.callConv);
  }

  equals(other: Signature): boolean {
    return (
      this.vmctxParam === other.vmctxParam &&
      this.callConv === other.callConv &&
      sameTypes(this.params, other.params) &&
      sameTypes(this.results, other.results)
    );
  }

  /** Text form without the function name, e.g. `(i64 vmctx, i32) -> i32`. */
  toString(): string {
    let s = '(';
    for (let i = 0; i < this.params.length; i++) {
      if (i > 0) s += ', ';
      s += typeName(this.params[i]!);
      if (i === this.vmctxParam) s += ' vmctx';
    }
    s += ')';
    if (this.results.length > 0) s += ' -> ' + this.results.map(typeName).join(', ');
    if (this.callConv !== CallConv.fast) s += ' ' + callConvName(this.callConv);
    return s;
  }
}

function sameTypes(a: Type[], b: Type[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What an external function reference names. */
export const FuncKind = {
  /** A function of the wasm module, by its index in the function index space. */
  wasm: 0,
  /** A runtime builtin (memory.grow, out-of-fuel handler, ...), by the runtime's builtin id. */
  builtin: 1,
} as const;
export type FuncKind = number;

/** An external function declaration (`fn0 = func 5 sig0` / `fn1 = builtin 3 sig1`). */
export class ExtFuncData {
  constructor(
    public kind: FuncKind,
    /** Module function index or builtin id. */
    public index: number,
    /** The SigRef of its signature. */
    public signature: number,
  ) {}

  toString(): string {
    return `${this.kind === FuncKind.wasm ? 'func' : 'builtin'} ${this.index} sig${this.signature}`;
  }
}
