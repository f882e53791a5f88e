/**
 * The reference count for inject-metering's tests, built independently of it: a rewriter that puts a counter
 * increment before EVERY operator of cost 1 (no runs, no control-flow reasoning, no shared writer code), so the
 * counter is by construction the number of cost-1 operators executed: kindling's fuel count. Slow code, fine for
 * tests. Only the operator decoder (OperatorReader, tested on its own) is shared.
 */
import { OperatorReader, parseModule } from '../../src/frontend/index.js';
import { u32 } from './wasm-builder.js';

export const COUNTER_EXPORT = '__oracle_count';

/** Opcodes (single bytes) of the operators that cost 0, from ARCHITECTURE.md "Fuel", written out on their own. */
const FREE_OPCODES = new Set([
  0x01, // nop
  0x1a, // drop
  0x02, // block
  0x03, // loop
  0x00, // unreachable
  0x0f, // return
  0x05, // else
  0x0b, // end
]);

/** s64 LEB128 of a small non-negative number. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n === 0 && (b & 0x40) === 0) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** Returns the module with an exported mutable i64 counter (starting at 0) incremented before each cost-1 operator. */
export function instrumentCountingEveryOperator(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const m = parseModule(bytes);
  const counter = m.globals.length;
  const increment = [0x23, ...u32(counter), 0x42, 1, 0x7c /* i64.add */, 0x24, ...u32(counter)];
  const newGlobal = [0x7e, 0x01, 0x42, ...sleb(0), 0x0b];
  const nameBytes = Array.from(new TextEncoder().encode(COUNTER_EXPORT));
  const newExport = [...u32(nameBytes.length), ...nameBytes, 0x03, ...u32(counter)];

  const sections: { id: number; payload: number[] }[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size = 0;
    let shift = 1;
    for (;;) {
      const b = bytes[pos++];
      size += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) break;
    }
    sections.push({ id, payload: Array.from(bytes.subarray(pos, pos + size)) });
    pos += size;
  }

  const withCountPlusOne = (payload: number[], entry: number[]): number[] => {
    let count = 0;
    let shift = 1;
    let i = 0;
    for (;;) {
      const b = payload[i++];
      count += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) break;
    }
    return [...u32(count + 1), ...payload.slice(i), ...entry];
  };

  const reader = new OperatorReader(bytes);
  const rewriteCode = (): number[] => {
    const bodies: number[] = [...u32(m.numDefinedFunctions)];
    for (let i = 0; i < m.numDefinedFunctions; i++) {
      const decl = m.definedFunction(i);
      reader.reset(bytes, decl.bodyStart, decl.bodyEnd, i);
      reader.readLocals(m.types[decl.typeIndex].params);
      const body: number[] = Array.from(bytes.subarray(decl.bodyStart, reader.pos));
      while (reader.pos < reader.end) {
        const at = reader.pos;
        reader.next();
        const first = bytes[at];
        if (!FREE_OPCODES.has(first)) body.push(...increment);
        for (let k = at; k < reader.pos; k++) body.push(bytes[k]);
      }
      bodies.push(...u32(body.length), ...body);
    }
    return bodies;
  };

  // Section order: ... memory(5) global(6) export(7) start(8) element(9) datacount(12) code(10) data(11).
  const order = (id: number): number => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10][id];
  const out: number[] = Array.from(bytes.subarray(0, 8));
  let globalDone = false;
  let exportDone = false;
  const emit = (id: number, payload: number[]): void => {
    out.push(id, ...u32(payload.length));
    for (const b of payload) out.push(b);
  };
  const emitMissing = (before: number): void => {
    if (!globalDone && before > 6) {
      emit(6, [1, ...newGlobal]);
      globalDone = true;
    }
    if (!exportDone && before > 7) {
      emit(7, [1, ...newExport]);
      exportDone = true;
    }
  };
  for (const s of sections) {
    if (s.id !== 0) emitMissing(order(s.id));
    if (s.id === 6) {
      emit(6, withCountPlusOne(s.payload, newGlobal));
      globalDone = true;
    } else if (s.id === 7) {
      emit(7, withCountPlusOne(s.payload, newExport));
      exportDone = true;
    } else if (s.id === 10) emit(10, rewriteCode());
    else emit(s.id, s.payload);
  }
  emitMissing(100);
  return Uint8Array.from(out);
}
