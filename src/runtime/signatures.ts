/**
 * The canonical signature registry: function type → small integer sigId, stored in every VMFuncRef and compared by
 * call_indirect. It is process-wide rather than per engine so that funcrefs stay comparable wherever they travel
 * (a table shared by instances of two engines, the default engine's host functions): engine-wide canonical ids are a
 * special case of this. Ids start at 1, so a zeroed VMFuncRef never matches a real signature.
 */
import type { FuncType } from '../frontend/module-info.js';
import { valTypeName } from '../frontend/value-types.js';

const ids = new Map<string, number>();
const types: FuncType[] = [];

function keyOf(type: FuncType): string {
  return `${type.params.join(',')}:${type.results.join(',')}`;
}

/** The sigId of a function type (registered on first sight). */
export function sigIdOf(type: FuncType): number {
  const key = keyOf(type);
  let id = ids.get(key);
  if (id === undefined) {
    types.push({ params: type.params.slice(), results: type.results.slice() });
    id = types.length;
    ids.set(key, id);
  }
  return id;
}

/** The function type of a sigId. */
export function funcTypeOfSig(sigId: number): FuncType {
  const type = types[sigId - 1];
  if (type === undefined) throw new RangeError(`unknown signature id ${sigId}`);
  return type;
}

/** "(i32, i64) -> (f32)" for messages. */
export function describeType(type: FuncType): string {
  const list = (t: Uint8Array) => Array.from(t, valTypeName).join(', ');
  return `(${list(type.params)}) -> (${list(type.results)})`;
}
