/**
 * Builds the large module the frontend benchmark measures: either a real module (e.g. from clang) whose function
 * bodies are repeated until the code section reaches the target size, or — without clang — a synthetic module of
 * loop/arithmetic/memory bodies written directly as bytes.
 */

function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function readU32(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [result, pos];
  }
}

interface RawSection {
  id: number;
  payload: Uint8Array;
}

function splitSections(bytes: Uint8Array): RawSection[] {
  const sections: RawSection[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const [size, start] = readU32(bytes, pos);
    sections.push({ id, payload: bytes.subarray(start, start + size) });
    pos = start + size;
  }
  return sections;
}

function joinSections(sections: { id: number; payload: ArrayLike<number> }[]): Uint8Array {
  const parts: number[][] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  let total = 8;
  const chunks: Uint8Array[] = [];
  for (const s of sections) {
    const head = [s.id, ...u32(s.payload.length)];
    chunks.push(Uint8Array.from(head), s.payload instanceof Uint8Array ? s.payload : Uint8Array.from(s.payload));
    total += head.length + s.payload.length;
  }
  const out = new Uint8Array(total);
  out.set(parts[0], 0);
  let at = 8;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Repeats the defined functions of `base` (custom sections dropped) until the code section holds ≥ targetCodeBytes. */
export function scaleModule(base: Uint8Array, targetCodeBytes: number): Uint8Array {
  const sections = splitSections(base).filter((s) => s.id !== 0);
  const funcSection = sections.find((s) => s.id === 3);
  const codeSection = sections.find((s) => s.id === 10);
  if (!funcSection || !codeSection) throw new Error('module has no functions to repeat');
  const [funcCount, typesStart] = readU32(funcSection.payload, 0);
  const typeIndices = funcSection.payload.subarray(typesStart);
  const [bodyCount, bodiesStart] = readU32(codeSection.payload, 0);
  const bodies = codeSection.payload.subarray(bodiesStart);
  const copies = Math.max(1, Math.ceil(targetCodeBytes / bodies.length));
  const newFunc = new Uint8Array(u32(funcCount * copies).length + typeIndices.length * copies);
  const newCode = new Uint8Array(u32(bodyCount * copies).length + bodies.length * copies);
  newFunc.set(u32(funcCount * copies), 0);
  newCode.set(u32(bodyCount * copies), 0);
  for (let c = 0, f = u32(funcCount * copies).length, b = u32(bodyCount * copies).length; c < copies; c++) {
    newFunc.set(typeIndices, f + c * typeIndices.length);
    newCode.set(bodies, b + c * bodies.length);
  }
  return joinSections(sections.map((s) => (s.id === 3 ? { id: 3, payload: newFunc } : s.id === 10 ? { id: 10, payload: newCode } : s)));
}

/**
 * Without clang: a module of (i32, i32) -> i32 functions over one memory, each a few loops of loads, arithmetic,
 * stores, compares and calls to earlier functions, with varied constants.
 */
export function syntheticModule(targetCodeBytes: number, seed = 1): Uint8Array {
  let state = seed >>> 0;
  const rnd = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const bodies: Uint8Array[] = [];
  let codeBytes = 0;
  while (codeBytes < targetCodeBytes) {
    const i = bodies.length;
    const code: number[] = [0x02, 0x01, 0x7f, 0x01, 0x7e]; // locals: 2 groups: 1 i32 (local 2), 1 i64 (local 3)
    const loops = 1 + rnd(4);
    for (let l = 0; l < loops; l++) {
      code.push(0x02, 0x40, 0x03, 0x40); // block loop
      code.push(0x20, 0x02, 0x41, ...sleb(2 + rnd(500)), 0x4e, 0x0d, 0x01); // local.get 2, i32.const N, i32.ge_s, br_if 1
      code.push(0x20, 0x02, 0x41, 0x02, 0x74, 0x28, 0x02, ...u32(rnd(4096) * 4)); // addr = i << 2, i32.load offset
      code.push(0x20, 0x00, 0x6a, 0x41, ...sleb(rnd(100000)), 0x6c, 0x21, 0x00); // a = (load + a) * K
      code.push(0x20, 0x03, 0x20, 0x00, 0xac, 0x7c, 0x42, ...sleb(1 + rnd(1000)), 0x7e, 0x21, 0x03); // q = (q + extend(a)) * K
      code.push(0x20, 0x02, 0x41, 0x02, 0x74, 0x20, 0x00, 0x20, 0x01, 0x73, 0x36, 0x02, ...u32(rnd(4096) * 4)); // store a ^ b
      if (i > 0 && rnd(2) === 0) code.push(0x20, 0x00, 0x20, 0x01, 0x10, ...u32(rnd(i)), 0x21, 0x01); // b = f(a, b)
      code.push(0x20, 0x02, 0x41, 0x01, 0x6a, 0x21, 0x02, 0x0c, 0x00, 0x0b, 0x0b); // i++, br 0, end end
    }
    code.push(0x20, 0x00, 0x20, 0x03, 0xa7, 0x6a, 0x0b); // a + wrap(q), end
    const entry = Uint8Array.from([...u32(code.length), ...code]);
    bodies.push(entry);
    codeBytes += entry.length;
  }
  const n = bodies.length;
  const typeSection = [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f];
  const funcSection = new Uint8Array(u32(n).length + n);
  funcSection.set(u32(n), 0);
  const memorySection = [0x01, 0x00, 0x01];
  const count = u32(n);
  const codeSection = new Uint8Array(count.length + codeBytes);
  codeSection.set(count, 0);
  let at = count.length;
  for (const b of bodies) {
    codeSection.set(b, at);
    at += b.length;
  }
  return joinSections([
    { id: 1, payload: typeSection },
    { id: 3, payload: funcSection },
    { id: 5, payload: memorySection },
    { id: 10, payload: codeSection },
  ]);
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** Size of the code section's payload. */
export function codeSectionBytes(bytes: Uint8Array): number {
  return splitSections(bytes).find((s) => s.id === 10)?.payload.length ?? 0;
}
