// Where the arguments and results of an IR signature travel, per src/x64/abi.ts. `fast` signatures with the vmctx as
// parameter 0 are kindling's wasm convention (wasmCallLayout: extra results through a caller-provided return area);
// everything else (runtime builtins, `system_v`) is plain System V with at most two results per register class.

import { CallConv, F32, F64, type Signature, typeName } from '../ir/index.js';
import {
  AbiClass,
  type AbiLocation,
  AbiLocKind,
  FLOAT_ARG_REGS,
  FLOAT_RET_REGS,
  INT_ARG_REGS,
  INT_RET_REGS,
  wasmCallLayout,
} from '../x64/abi.js';
import { IselError } from './errors.js';

export interface SigLayout {
  /** Location of each IR parameter (in signature order, the vmctx included). */
  readonly params: readonly AbiLocation[];
  readonly results: readonly AbiLocation[];
  /** Register carrying the hidden return-area pointer, or -1. */
  readonly returnAreaReg: number;
  readonly stackArgBytes: number;
  readonly returnAreaBytes: number;
}

function abiClass(t: number): number {
  return t === F32 || t === F64 ? AbiClass.Float : AbiClass.Int;
}

/**
 * Layouts by signature *shape*: the translator makes a new Signature object per function, so an identity cache
 * (WeakMap) missed on every function's own signature. Buckets by a hash of (callConv, vmctxParam, params,
 * results), compared structurally; a module has few distinct shapes, so buckets stay tiny.
 */
const cacheKeys: Signature[][] = [];
const cacheLayouts: SigLayout[][] = [];
const CACHE_BUCKETS = 256;
const CACHE_MAX_PER_BUCKET = 16;
for (let i = 0; i < CACHE_BUCKETS; i++) {
  cacheKeys.push([]);
  cacheLayouts.push([]);
}

function shapeHash(sig: Signature): number {
  let h = Math.imul(sig.callConv ^ 0x9e37, 31) + sig.vmctxParam;
  const p = sig.params;
  for (let i = 0; i < p.length; i++) h = Math.imul(h, 31) + p[i]!;
  h = Math.imul(h, 31) + 0x55;
  const r = sig.results;
  for (let i = 0; i < r.length; i++) h = Math.imul(h, 31) + r[i]!;
  return (h ^ (h >>> 13)) & (CACHE_BUCKETS - 1);
}

export function sigLayout(sig: Signature): SigLayout {
  const bucket = shapeHash(sig);
  const keys = cacheKeys[bucket]!;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === sig || keys[i]!.equals(sig)) return cacheLayouts[bucket]![i]!;
  }
  const layout = computeSigLayout(sig);
  if (keys.length >= CACHE_MAX_PER_BUCKET) {
    keys.length = 0;
    cacheLayouts[bucket]!.length = 0;
  }
  // A copy as the key: the caller's Signature is mutable (params/results are plain arrays).
  keys.push(sig.clone());
  cacheLayouts[bucket]!.push(layout);
  return layout;
}

function computeSigLayout(sig: Signature): SigLayout {
  if (sig.callConv === CallConv.fast && sig.vmctxParam === 0) {
    const l = wasmCallLayout(sig.params.slice(1).map(abiClass), sig.results.map(abiClass));
    if (l.returnAreaArg !== null && l.returnAreaArg.kind !== AbiLocKind.Reg) {
      throw new IselError(`signature ${sig.toString()}: the return-area pointer does not fit a register`);
    }
    return {
      params: l.args,
      results: l.results,
      returnAreaReg: l.returnAreaArg === null ? -1 : l.returnAreaArg.value,
      stackArgBytes: l.stackArgBytes,
      returnAreaBytes: l.returnAreaBytes,
    };
  }
  // Plain System V.
  let nextInt = 0;
  let nextFloat = 0;
  let stack = 0;
  const params: AbiLocation[] = [];
  for (const t of sig.params) {
    if (abiClass(t) === AbiClass.Float && nextFloat < FLOAT_ARG_REGS.length) {
      params.push({ kind: AbiLocKind.Reg, value: FLOAT_ARG_REGS[nextFloat++] });
    } else if (abiClass(t) === AbiClass.Int && nextInt < INT_ARG_REGS.length) {
      params.push({ kind: AbiLocKind.Reg, value: INT_ARG_REGS[nextInt++] });
    } else {
      params.push({ kind: AbiLocKind.Stack, value: stack });
      stack += 8;
    }
  }
  let intRes = 0;
  let floatRes = 0;
  const results: AbiLocation[] = [];
  for (const t of sig.results) {
    const regs = abiClass(t) === AbiClass.Float ? FLOAT_RET_REGS : INT_RET_REGS;
    const k = abiClass(t) === AbiClass.Float ? floatRes++ : intRes++;
    if (k >= regs.length) {
      throw new IselError(
        `signature ${sig.toString()}: more ${typeName(t)}-class results than System V result registers`,
      );
    }
    results.push({ kind: AbiLocKind.Reg, value: regs[k] });
  }
  return { params, results, returnAreaReg: -1, stackArgBytes: (stack + 15) & ~15, returnAreaBytes: 0 };
}
