/**
 * Independent fuel reference: rewrites a wasm module so that every operator the cost model charges (cost 1) is
 * preceded by `global.get $fuel; i64.const 1; i64.add; global.set $fuel` on a new exported mutable i64 global
 * `__fuel`. Run in V8, the global then counts exactly the charged operators executed — including a trapping one,
 * whose increment runs before it. No batching, no reasoning about control flow: a plain count to compare the
 * translator's instrumentation with.
 */
import { OperatorReader, parseModule, type ModuleInfo } from '../../src/frontend/index.js';
import { OPERATOR_FUEL_COST } from '../../src/frontend/translate.js';

export const FUEL_EXPORT = '__fuel';

class ByteWriter {
  bytes: number[] = [];
  u8(b: number): void {
    this.bytes.push(b & 0xff);
  }
  u32(v: number): void {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.u8(b);
    } while (x !== 0);
  }
  raw(src: Uint8Array, start: number, end: number): void {
    for (let i = start; i < end; i++) this.bytes.push(src[i]);
  }
  section(id: number, payload: number[]): void {
    this.u8(id);
    this.u32(payload.length);
    this.append(payload);
  }
  append(more: number[]): void {
    for (const b of more) this.bytes.push(b);
  }
}

function readU32(bytes: Uint8Array, pos: { at: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos.at++];
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result >>> 0;
    shift += 7;
  }
}

/** Section order of the binary format (custom sections aside); the global section goes before exports. */
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

export function instrumentFuel(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const module = parseModule(bytes);
  const fuelGlobal = module.globals.length;
  const sections: { id: number; start: number; end: number }[] = [];
  const pos = { at: 8 };
  while (pos.at < bytes.length) {
    const id = bytes[pos.at++];
    const size = readU32(bytes, pos);
    sections.push({ id, start: pos.at, end: pos.at + size });
    pos.at += size;
  }
  const out = new ByteWriter();
  out.raw(bytes, 0, 8);
  const newGlobalEntry = [0x7e, 0x01, 0x42, 0x00, 0x0b]; // mut i64 = i64.const 0
  let globalsDone = false;
  let exportsDone = false;
  const emitGlobalSection = (existing?: { start: number; end: number }) => {
    const w = new ByteWriter();
    if (existing) {
      const p = { at: existing.start };
      const n = readU32(bytes, p);
      w.u32(n + 1);
      w.raw(bytes, p.at, existing.end);
    } else w.u32(1);
    w.append(newGlobalEntry);
    out.section(6, w.bytes);
    globalsDone = true;
  };
  const emitExportSection = (existing?: { start: number; end: number }) => {
    const w = new ByteWriter();
    if (existing) {
      const p = { at: existing.start };
      const n = readU32(bytes, p);
      w.u32(n + 1);
      w.raw(bytes, p.at, existing.end);
    } else w.u32(1);
    const name = new TextEncoder().encode(FUEL_EXPORT);
    w.u32(name.length);
    for (const b of name) w.u8(b);
    w.u8(0x03);
    w.u32(fuelGlobal);
    out.section(7, w.bytes);
    exportsDone = true;
  };
  for (const s of sections) {
    const rank = ORDER.indexOf(s.id);
    if (s.id !== 0 && !globalsDone && s.id !== 6 && rank > ORDER.indexOf(6)) emitGlobalSection();
    if (s.id !== 0 && !exportsDone && s.id !== 7 && rank > ORDER.indexOf(7)) emitExportSection();
    if (s.id === 6) emitGlobalSection(s);
    else if (s.id === 7) emitExportSection(s);
    else if (s.id === 10) out.section(10, instrumentCode(module, fuelGlobal));
    else {
      out.u8(s.id);
      out.u32(s.end - s.start);
      out.raw(bytes, s.start, s.end);
    }
  }
  if (!globalsDone) emitGlobalSection();
  if (!exportsDone) emitExportSection();
  return Uint8Array.from(out.bytes);
}

function instrumentCode(module: ModuleInfo, fuelGlobal: number): number[] {
  const w = new ByteWriter();
  const n = module.numDefinedFunctions;
  w.u32(n);
  const r = new OperatorReader(module.bytes);
  const bytes = module.bytes;
  for (let i = 0; i < n; i++) {
    const decl = module.definedFunction(i);
    r.reset(bytes, decl.bodyStart, decl.bodyEnd);
    r.readLocals(module.types[decl.typeIndex].params);
    const body = new ByteWriter();
    body.raw(bytes, decl.bodyStart, r.pos);
    while (r.pos < decl.bodyEnd) {
      const op = r.next();
      if (OPERATOR_FUEL_COST[op] === 1) {
        body.u8(0x23);
        body.u32(fuelGlobal);
        body.u8(0x42);
        body.u8(0x01);
        body.u8(0x7c);
        body.u8(0x24);
        body.u32(fuelGlobal);
      }
      body.raw(bytes, r.opOffset, r.pos);
    }
    w.u32(body.bytes.length);
    w.append(body.bytes);
  }
  return w.bytes;
}
