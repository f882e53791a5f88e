/**
 * Builds the bytes of a tiny wasm module that calls an imported function with exact bit patterns.
 *
 * Through the JS API a float travels as a JS number (a signalling NaN comes back quieted) and a v128 cannot travel at
 * all. Inside wasm, calls pass bits unchanged. So the trampoline imports the function under test (`"m" "f"`, type
 * params P → results R) and exports `"f"` whose parameters and results are integers only:
 *   f32 ↔ i32 and f64 ↔ i64 by reinterpretation, v128 ↔ two i64 (low lane first), i32/i64/references unchanged.
 */
import type { WastType } from './values.js';

const TYPE_BYTE: Record<WastType, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
};

/** How a value of each type travels through the trampoline's JS-facing signature. */
export function carrierTypes(type: WastType): readonly WastType[] {
  switch (type) {
    case 'f32':
      return ['i32'];
    case 'f64':
      return ['i64'];
    case 'v128':
      return ['i64', 'i64'];
    default:
      return [type];
  }
}

const OP = {
  localGet: 0x20,
  localSet: 0x21,
  call: 0x10,
  end: 0x0b,
  i32ReinterpretF32: 0xbc,
  i64ReinterpretF64: 0xbd,
  f32ReinterpretI32: 0xbe,
  f64ReinterpretI64: 0xbf,
  simdPrefix: 0xfd,
  v128Const: 0x0c,
  i64x2ExtractLane: 0x1d,
  i64x2ReplaceLane: 0x1e,
} as const;

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function vector(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

function funcType(params: readonly WastType[], results: readonly WastType[]): number[] {
  return [0x60, ...vector(params.map((t) => [TYPE_BYTE[t]])), ...vector(results.map((t) => [TYPE_BYTE[t]]))];
}

/** Instructions that turn the carrier locals starting at `local` into one value of `type` on the stack. */
function unpackParam(type: WastType, local: number): number[] {
  switch (type) {
    case 'f32':
      return [OP.localGet, ...uleb(local), OP.f32ReinterpretI32];
    case 'f64':
      return [OP.localGet, ...uleb(local), OP.f64ReinterpretI64];
    case 'v128':
      return [
        OP.simdPrefix, OP.v128Const, ...new Array<number>(16).fill(0),
        OP.localGet, ...uleb(local), OP.simdPrefix, OP.i64x2ReplaceLane, 0,
        OP.localGet, ...uleb(local + 1), OP.simdPrefix, OP.i64x2ReplaceLane, 1,
      ];
    default:
      return [OP.localGet, ...uleb(local)];
  }
}

/** Instructions that push the carriers of the value of `type` held in `local`. */
function packResult(type: WastType, local: number): number[] {
  const get = [OP.localGet, ...uleb(local)];
  switch (type) {
    case 'f32':
      return [...get, OP.i32ReinterpretF32];
    case 'f64':
      return [...get, OP.i64ReinterpretF64];
    case 'v128':
      return [...get, OP.simdPrefix, OP.i64x2ExtractLane, 0, ...get, OP.simdPrefix, OP.i64x2ExtractLane, 1];
    default:
      return get;
  }
}

/** The trampoline module for a function of type params → results (see the file comment). */
export function trampolineModuleBytes(params: readonly WastType[], results: readonly WastType[]): Uint8Array<ArrayBuffer> {
  const carrierParams = params.flatMap(carrierTypes);
  const carrierResults = results.flatMap(carrierTypes);

  const body: number[] = [];
  let local = 0;
  for (const type of params) {
    body.push(...unpackParam(type, local));
    local += carrierTypes(type).length;
  }
  body.push(OP.call, 0);
  // Results are on the stack last-on-top: park them in one local each (declared after the parameters), then push
  // each one's carriers in order.
  const firstResultLocal = local;
  for (let i = results.length - 1; i >= 0; i--) body.push(OP.localSet, ...uleb(firstResultLocal + i));
  results.forEach((type, i) => body.push(...packResult(type, firstResultLocal + i)));
  body.push(OP.end);
  const locals = vector(results.map((type) => [1, TYPE_BYTE[type]]));
  const code = [...locals, ...body];

  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([funcType(params, results), funcType(carrierParams, carrierResults)])),
    ...section(2, vector([[...name('m'), ...name('f'), 0x00, 0]])),
    ...section(3, vector([[1]])),
    ...section(7, vector([[...name('f'), 0x00, 1]])),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ]);
}
