/**
 * What the translator needs to know about a module, computed once per module and shared by all its functions: the
 * VMContext layout, each wasm type as IR types, canonical signature ids for call_indirect, and whether the module
 * needs SIMD (which the translator does not support yet).
 */
import { F32, F64, I32, I64, MemFlag, V128, type Type } from '../ir/index.js';
import type { FuncType, ModuleInfo } from './module-info.js';
import { ValType } from './value-types.js';
import { VMOffsets } from './vm-offsets.js';

/**
 * IR type of each wasm value type, indexed by ValType. References (funcref, externref) are 64-bit words: a
 * *VMFuncRef or an externref handle, 0 for null.
 */
export const IR_TYPE_OF_VAL_TYPE: readonly Type[] = [I32, I64, F32, F64, V128, I64, I64];

/** Memory flags of trusted loads of values that never change and whose address is valid everywhere. */
export const VMCTX_READONLY = MemFlag.notrap | MemFlag.aligned | MemFlag.readonly | MemFlag.vmctx;
/** Memory flags of trusted accesses to VMContext data that may change (lengths, bases, mutable globals). */
export const VMCTX_MUTABLE = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;

/** IR type of a wasm value type. */
export function irType(valType: number): Type {
  return IR_TYPE_OF_VAL_TYPE[valType];
}

/** The module-wide facts the translator uses; build with `ModuleTranslationEnv.of(module)` (cached per module). */
export class ModuleTranslationEnv {
  readonly offsets: VMOffsets;
  /** Per type index: IR parameter types (without vmctx) and result types. */
  readonly paramTypes: Type[][];
  readonly resultTypes: Type[][];
  /**
   * Per type index: a signature id that is equal for structurally equal types of this module (the first type index
   * with the same params and results). The runtime passes engine-wide ids instead (TranslateOptions.signatureIds).
   */
  readonly localSignatureIds: Int32Array;
  /** Per type index: 1 when the type has a v128 parameter or result (SIMD: not supported by the translator yet). */
  readonly typeMentionsV128: Uint8Array;

  private static readonly cache = new WeakMap<ModuleInfo, ModuleTranslationEnv>();

  static of(module: ModuleInfo): ModuleTranslationEnv {
    let env = ModuleTranslationEnv.cache.get(module);
    if (env === undefined) {
      env = new ModuleTranslationEnv(module);
      ModuleTranslationEnv.cache.set(module, env);
    }
    return env;
  }

  constructor(readonly module: ModuleInfo) {
    this.offsets = new VMOffsets(module);
    const n = module.types.length;
    this.paramTypes = new Array<Type[]>(n);
    this.resultTypes = new Array<Type[]>(n);
    this.localSignatureIds = new Int32Array(n);
    this.typeMentionsV128 = new Uint8Array(n);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const t = module.types[i];
      this.paramTypes[i] = Array.from(t.params, irType);
      this.resultTypes[i] = Array.from(t.results, irType);
      if (mentionsV128(t)) this.typeMentionsV128[i] = 1;
      const key = typeKey(t);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        this.localSignatureIds[i] = i;
      } else this.localSignatureIds[i] = first;
    }
  }
}

function mentionsV128(t: FuncType): boolean {
  for (let i = 0; i < t.params.length; i++) if (t.params[i] === ValType.V128) return true;
  for (let i = 0; i < t.results.length; i++) if (t.results[i] === ValType.V128) return true;
  return false;
}

function typeKey(t: FuncType): string {
  return `${Array.from(t.params).join(',')}:${Array.from(t.results).join(',')}`;
}

/**
 * Canonical signature ids for a module's type indices when no engine-wide table is given: structurally equal types
 * share the id of the first of them. Good for a single module (tests, tools); an engine linking several modules must
 * use ids that are equal across modules.
 */
export function moduleSignatureIds(module: ModuleInfo): Int32Array {
  return ModuleTranslationEnv.of(module).localSignatureIds;
}
