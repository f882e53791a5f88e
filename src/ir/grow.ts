/** Typed-array growth helpers: the columns of the IR grow by doubling, keeping their contents. */

export function growI32(a: Int32Array, min: number, fill = 0): Int32Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growU16(a: Uint16Array, min: number): Uint16Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Uint16Array(n);
  b.set(a);
  return b;
}

export function growU8(a: Uint8Array, min: number): Uint8Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}

// Grouped columns: several columns of one entity (values, instructions, blocks) carved from one ArrayBuffer, so a
// growth is one allocation rather than one per column (DataFlowGraph, Layout).

/** The capacity to grow a column group of capacity `current` to, for at least `min` entries. */
export function grownCapacity(current: number, min: number, initial: number): number {
  let cap = Math.max(current * 2, initial);
  while (cap < min) cap *= 2;
  return cap;
}

/** A view of `cap` int32s at `byteOffset` of `buffer`, starting with the contents of `old`. */
export function i32Column(buffer: ArrayBuffer, byteOffset: number, cap: number, old: Int32Array): Int32Array {
  const column = new Int32Array(buffer, byteOffset, cap);
  column.set(old);
  return column;
}

/** A view of `cap` bytes at `byteOffset` of `buffer`, starting with the contents of `old`. */
export function u8Column(buffer: ArrayBuffer, byteOffset: number, cap: number, old: Uint8Array): Uint8Array {
  const column = new Uint8Array(buffer, byteOffset, cap);
  column.set(old);
  return column;
}
