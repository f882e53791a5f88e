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
