/**
 * externref values cross into wasm as handles: small integers naming a JS value in this table (0 is null). The same
 * JS value always gets the same handle, so passing one object repeatedly does not grow the table.
 *
 * Limitation: handles are never released (the table keeps its values alive for the life of the process). A
 * store-scoped table with reclamation (GC of unreachable handles) is future work.
 */

const values: unknown[] = [null];
const handles = new Map<unknown, number>();

/** The handle for a JS value (0 for null). */
export function externrefToHandle(value: unknown): number {
  if (value === null) return 0;
  let handle = handles.get(value);
  if (handle === undefined) {
    handle = values.length;
    values.push(value);
    handles.set(value, handle);
  }
  return handle;
}

/** The JS value of a handle (null for 0). Throws for a handle this table never gave out. */
export function handleToExternref(handle: number): unknown {
  if (handle === 0) return null;
  if (!(handle > 0 && handle < values.length)) throw new RangeError(`invalid externref handle ${handle}`);
  return values[handle];
}
