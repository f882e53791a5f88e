/** Helpers to write small wasm binaries by hand in tests (plus wat → wasm through the wabt npm package). */
import wabtInit from 'wabt';

export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function name(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...u32(b.length), ...b];
}

export function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

export function section(id: number, payload: number[]): number[] {
  return [id, ...u32(payload.length), ...payload];
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function module(...sections: number[][]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([...HEADER, ...sections.flat()]);
}

/** Type codes. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

export function funcType(params: number[], results: number[]): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

/** A function body: local groups [count, type] and code (without the final `end`, which is appended). */
export function body(locals: [number, number][], code: number[]): number[] {
  const b = [...vec(locals.map(([n, t]) => [...u32(n), t])), ...code, 0x0b];
  return [...u32(b.length), ...b];
}

/**
 * A module with one type per function and the given bodies (code without the final end); `extra` sections are
 * inserted in id order by the caller's responsibility (they go between the function and code sections).
 */
export function simpleModule(
  funcs: { params?: number[]; results?: number[]; locals?: [number, number][]; code: number[] }[],
  extra: number[][] = [],
): Uint8Array<ArrayBuffer> {
  return module(
    section(1, vec(funcs.map((f) => funcType(f.params ?? [], f.results ?? [])))),
    section(3, vec(funcs.map((_, i) => u32(i)))),
    ...extra,
    section(10, vec(funcs.map((f) => body(f.locals ?? [], f.code)))),
  );
}

let wabtPromise: ReturnType<typeof wabtInit> | null = null;

/** Assembles wat text with wabt (all Wasm 2.0 features on); does not validate, so invalid modules can be written too. */
export async function wat(text: string): Promise<Uint8Array<ArrayBuffer>> {
  wabtPromise ??= wabtInit();
  const wabt = await wabtPromise;
  const features = { simd: true, bulk_memory: true, reference_types: true, multi_value: true, sat_float_to_int: true, sign_extension: true };
  const m = wabt.parseWat('test.wat', text, features);
  try {
    return Uint8Array.from(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}
