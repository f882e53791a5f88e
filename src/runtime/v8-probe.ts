/**
 * Asks V8 about objects only V8 can describe. A plain `WebAssembly.Memory` or `WebAssembly.Global` made by Node's own
 * namespace does not reveal its maximum or its value type to JS (type reflection is off by default), but V8 checks
 * them exactly when it links an import: so the runtime instantiates a tiny V8 module importing the object with the
 * wanted type, and a LinkError means the import does not fit. Probe modules are cached per type.
 */
import { ValType } from '../frontend/value-types.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const IMPORT_SECTION = 2;
const KIND_MEMORY = 2;
const KIND_GLOBAL = 3;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A module whose only content is one import "m" "m" with the given kind and type bytes. */
function importModule(kind: number, type: number[]): Uint8Array<ArrayBuffer> {
  const entry = [1, 0x6d, 1, 0x6d, kind, ...type];
  const payload = [1, ...entry];
  return Uint8Array.from([...HEADER, IMPORT_SECTION, ...uleb(payload.length), ...payload]);
}

const probes = new Map<string, WebAssembly.Module>();

function fits(key: string, kind: number, type: number[], value: unknown): boolean {
  let module = probes.get(key);
  if (module === undefined) {
    module = new WebAssembly.Module(importModule(kind, type));
    probes.set(key, module);
  }
  try {
    new WebAssembly.Instance(module, { m: { m: value as WebAssembly.ImportValue } });
    return true;
  } catch (error) {
    if (error instanceof WebAssembly.LinkError) return false;
    throw error;
  }
}

/** Whether V8 would accept `memory` for an import with limits [min, max] (max null: none). */
export function v8MemoryFits(memory: WebAssembly.Memory, min: number, max: number | null): boolean {
  const limits = max === null ? [0x00, ...uleb(min)] : [0x01, ...uleb(min), ...uleb(max)];
  return fits(`memory ${min} ${max}`, KIND_MEMORY, limits, memory);
}

/** Whether V8 would accept `global` (a WebAssembly.Global of Node's namespace) for a global import of this type. */
export function v8GlobalFits(global: WebAssembly.Global, type: ValType, mutable: boolean): boolean {
  return fits(`global ${type} ${mutable}`, KIND_GLOBAL, [valTypeByte(type), mutable ? 1 : 0], global);
}

function valTypeByte(type: ValType): number {
  switch (type) {
    case ValType.I32:
      return 0x7f;
    case ValType.I64:
      return 0x7e;
    case ValType.F32:
      return 0x7d;
    case ValType.F64:
      return 0x7c;
    case ValType.V128:
      return 0x7b;
    case ValType.FUNCREF:
      return 0x70;
    default:
      return 0x6f;
  }
}
