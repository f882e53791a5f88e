/**
 * What the harness will do with a module, decided once from its bytes and a seed and then replayed identically on
 * each engine: the host functions to provide, the exports to call in order, and each call's arguments.
 */
import {
  CompileError,
  describeFuncType,
  ExternalKind,
  type ModuleInfo,
  parseModule,
  ValType,
} from '../../src/frontend/index.js';
import { deriveSeed, Prng } from './prng.js';
import { chooseArgument, ExternTokens, isCallableType } from './values.js';

export interface HostImport {
  readonly module: string;
  readonly name: string;
  readonly params: Uint8Array;
  readonly results: Uint8Array;
}

export interface PlannedCall {
  readonly exportName: string;
  readonly params: Uint8Array;
  readonly results: Uint8Array;
  readonly args: readonly unknown[];
}

export interface CallPlan {
  readonly imports: readonly HostImport[];
  readonly calls: readonly PlannedCall[];
  /** binaryen's `hangLimitInitializer` (called before every call to re-arm the loop/recursion bound), or null. */
  readonly resetExport: string | null;
  readonly externs: ExternTokens;
  /** Why the module cannot be run by the harness (e.g. it imports a memory), or null. */
  readonly unsupported: string | null;
  /**
   * kindling's parser rejected the module (the plan is then empty: no imports, no calls), or null. The engines still
   * get it, so their traces show whether each rejects it too.
   */
  readonly parseError: string | null;
}

/** binaryen -ttf's export that resets the hang-limit global. */
export const HANG_LIMIT_RESET = 'hangLimitInitializer';

/**
 * Plans `rounds` passes over the module's function exports (later rounds see the memory and globals the earlier ones
 * left). Exports with v128 in their signature are left out: the JS API cannot call them.
 */
export function planCalls(bytes: Uint8Array, seed: number, rounds: number): CallPlan {
  const externs = new ExternTokens();
  let info: ModuleInfo;
  try {
    info = parseModule(bytes);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { imports: [], calls: [], resetExport: null, externs, unsupported: null, parseError: e.message };
  }
  const imports: HostImport[] = [];
  let unsupported: string | null = null;
  for (const imp of info.imports) {
    if (imp.kind !== ExternalKind.FUNCTION) {
      unsupported ??= `imports ${imp.module}.${imp.name} of kind ${imp.kind}: only function imports are provided`;
      continue;
    }
    const type = info.functionType(imp.index);
    if (![...type.params, ...type.results].every(isCallableType)) {
      unsupported ??= `imports ${imp.module}.${imp.name} ${describeFuncType(type)}: not expressible through the JS API`;
    }
    imports.push({ module: imp.module, name: imp.name, params: type.params, results: type.results });
  }

  const callable = info.exports.filter((e) => {
    if (e.kind !== ExternalKind.FUNCTION || e.name === HANG_LIMIT_RESET) return false;
    const type = info.functionType(e.index);
    return [...type.params, ...type.results].every(isCallableType);
  });
  const resetExport = info.exports.some((e) => e.name === HANG_LIMIT_RESET && e.kind === ExternalKind.FUNCTION)
    ? HANG_LIMIT_RESET
    : null;

  const prng = new Prng(deriveSeed(seed, 0x0a7e5));
  const calls: PlannedCall[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const e of callable) {
      const type = info.functionType(e.index);
      const args: unknown[] = [];
      for (const t of type.params) args.push(chooseArgument(t, prng, externs));
      calls.push({ exportName: e.name, params: type.params, results: type.results, args });
    }
  }
  return { imports, calls, resetExport, externs, unsupported, parseError: null };
}

/** The zero value of a type, as a host function returns it through the JS API. */
export function zeroOf(type: number): unknown {
  switch (type) {
    case ValType.I64:
      return 0n;
    case ValType.FUNCREF:
    case ValType.EXTERNREF:
      return null;
    default:
      return 0;
  }
}
