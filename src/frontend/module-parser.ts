/**
 * parseModule: decodes a module's sections into a ModuleInfo and checks everything except function bodies (those are
 * only delimited here; validateFunction checks them, one at a time or in parallel).
 */
import { readConstExpr, markFunctionRef } from './const-expr.js';
import { MAX_FUNCTION_BODY_SIZE, MAX_FUNCTION_PARAMS, MAX_FUNCTION_RESULTS, MAX_MEMORY_PAGES } from './limits.js';
import {
  ExternalKind,
  ModuleInfo,
  SegmentMode,
  type ConstExpr,
  type FuncType,
  type TableType,
  type MemoryType,
} from './module-info.js';
import { readNameSection } from './name-section.js';
import { SECTION_ORDER, SectionId } from './sections.js';
import { OperatorReader } from './operator-reader.js';
import { ValType, valTypeName } from './value-types.js';

/** Position of each known section id in the required order. */
const SECTION_RANK = SECTION_ORDER;

/** What the API accepts as module bytes, like WebAssembly.validate: an ArrayBuffer or any view on one. */
export type WasmBytes = ArrayBufferLike | ArrayBufferView;

/** The bytes of a WasmBytes as a Uint8Array (no copy is made). */
export function toBytes(source: WasmBytes): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) {
    return new Uint8Array(source);
  }
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError('expected an ArrayBuffer or a typed array / DataView holding a wasm module');
}

/** Decodes and checks all sections of a module except the function bodies' contents. */
export function parseModule(source: WasmBytes): ModuleInfo {
  const bytes = toBytes(source);
  return new ModuleParser(bytes).parse();
}

class ModuleParser {
  private readonly r: OperatorReader;
  private readonly m: ModuleInfo;
  /** Count in the function section (defined functions), or -1 when absent. */
  private declaredFunctions = -1;
  private sawCode = false;
  private sawData = false;
  private readonly exportNames = new Set<string>();

  constructor(private readonly bytes: Uint8Array) {
    this.r = new OperatorReader(bytes);
    this.m = new ModuleInfo(bytes);
  }

  parse(): ModuleInfo {
    const r = this.r;
    const bytes = this.bytes;
    this.readHeader();
    let lastRank = 0;
    while (r.pos < bytes.length) {
      const sectionAt = r.pos;
      const id = r.readU8();
      const sizeAt = r.pos;
      const size = r.readVarU32();
      const start = r.pos;
      if (size > bytes.length - start) r.fail(`length out of bounds: section ${id} of ${size} bytes exceeds the module`, sizeAt);
      const end = start + size;
      r.end = end;
      r.inSection = true;
      if (id === SectionId.CUSTOM) {
        this.readCustomSection(end);
      } else {
        if (id >= SECTION_RANK.length) r.fail(`malformed section id ${id}`, sectionAt);
        const rank = SECTION_RANK[id];
        if (rank <= lastRank) r.fail(`unexpected content after last section: section ${id} is duplicated or out of order`, sectionAt);
        lastRank = rank;
        this.readSection(id);
        if (r.pos !== end) r.fail(`section size mismatch: section ${id} declares ${size} bytes, contents end at ${r.pos - start}`, r.pos);
      }
      r.pos = end;
      r.end = bytes.length;
      r.inSection = false;
    }
    this.finish();
    return this.m;
  }

  private readHeader(): void {
    const r = this.r;
    const b = this.bytes;
    if (b.length < 4 || b[0] !== 0x00 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
      r.fail(b.length < 4 ? 'unexpected end: magic header not detected' : 'magic header not detected', 0);
    }
    if (b.length < 8) r.fail('unexpected end: unknown binary version', 4);
    if (b[4] !== 1 || b[5] !== 0 || b[6] !== 0 || b[7] !== 0) r.fail('unknown binary version', 4);
    r.pos = 8;
  }

  private readSection(id: number): void {
    switch (id) {
      case SectionId.TYPE:
        return this.readTypeSection();
      case SectionId.IMPORT:
        return this.readImportSection();
      case SectionId.FUNCTION:
        return this.readFunctionSection();
      case SectionId.TABLE:
        return this.readTableSection();
      case SectionId.MEMORY:
        return this.readMemorySection();
      case SectionId.GLOBAL:
        return this.readGlobalSection();
      case SectionId.EXPORT:
        return this.readExportSection();
      case SectionId.START:
        return this.readStartSection();
      case SectionId.ELEMENT:
        return this.readElementSection();
      case SectionId.DATA_COUNT:
        this.m.dataCount = this.r.readVarU32();
        return;
      case SectionId.CODE:
        return this.readCodeSection();
      case SectionId.DATA:
        return this.readDataSection();
    }
  }

  private readCustomSection(end: number): void {
    const name = this.r.readName();
    const start = this.r.pos;
    this.m.customSections.push({ name, start, end });
    if (name === 'name') readNameSection(this.m, start, end);
  }

  private readTypeSection(): void {
    const r = this.r;
    const count = r.readVecLength(1);
    for (let i = 0; i < count; i++) {
      const at = r.pos;
      const form = r.readU8();
      if (form !== 0x60) r.fail(`malformed function type: form 0x${form.toString(16)} (expected 0x60)`, at);
      const params = this.readValTypes();
      if (params.length > MAX_FUNCTION_PARAMS) r.fail(`too many parameters: ${params.length} (implementation limit ${MAX_FUNCTION_PARAMS})`, at);
      const results = this.readValTypes();
      if (results.length > MAX_FUNCTION_RESULTS) r.fail(`too many results: ${results.length} (implementation limit ${MAX_FUNCTION_RESULTS})`, at);
      this.m.types.push({ params, results });
    }
  }

  private readValTypes(): Uint8Array {
    const r = this.r;
    const n = r.readVecLength(1);
    const types = new Uint8Array(n);
    for (let i = 0; i < n; i++) types[i] = r.readValType();
    return types;
  }

  private readTypeIndex(): number {
    const at = this.r.pos;
    const index = this.r.readVarU32();
    if (index >= this.m.types.length) this.r.fail(`unknown type ${index}`, at);
    return index;
  }

  private readImportSection(): void {
    const r = this.r;
    const m = this.m;
    const count = r.readVecLength(1);
    for (let i = 0; i < count; i++) {
      const module = r.readName();
      const name = r.readName();
      const kindAt = r.pos;
      const kind = r.readU8();
      let index: number;
      switch (kind) {
        case ExternalKind.FUNCTION:
          index = m.functions.length;
          m.functions.push({ typeIndex: this.readTypeIndex(), imported: true, bodyStart: 0, bodyEnd: 0 });
          m.numImportedFunctions++;
          break;
        case ExternalKind.TABLE:
          index = m.tables.length;
          m.tables.push(this.readTableType(true));
          m.numImportedTables++;
          break;
        case ExternalKind.MEMORY:
          index = m.memories.length;
          m.memories.push(this.readMemoryType(true));
          m.numImportedMemories++;
          break;
        case ExternalKind.GLOBAL: {
          index = m.globals.length;
          const type = r.readValType();
          const mutable = this.readMutability();
          m.globals.push({ type, mutable, imported: true, init: null });
          m.numImportedGlobals++;
          break;
        }
        default:
          return r.fail(`malformed import kind ${kind}`, kindAt);
      }
      m.imports.push({ module, name, kind, index });
    }
  }

  private readFunctionSection(): void {
    const r = this.r;
    const count = r.readVecLength(1);
    for (let i = 0; i < count; i++) {
      this.m.functions.push({ typeIndex: this.readTypeIndex(), imported: false, bodyStart: 0, bodyEnd: 0 });
    }
    this.declaredFunctions = count;
  }

  private readTableSection(): void {
    const count = this.r.readVecLength(1);
    for (let i = 0; i < count; i++) this.m.tables.push(this.readTableType(false));
  }

  private readMemorySection(): void {
    const count = this.r.readVecLength(1);
    for (let i = 0; i < count; i++) this.m.memories.push(this.readMemoryType(false));
  }

  private readMutability(): boolean {
    const at = this.r.pos;
    const b = this.r.readU8();
    if (b > 1) this.r.fail(`malformed mutability 0x${b.toString(16)}`, at);
    return b === 1;
  }

  /** Results of readLimits(): the minimum, and the maximum or -1 when absent. */
  private limitsMin = 0;
  private limitsMax = -1;

  /** Limits: a flags byte (0: min only, 1: min and max; 2 and 3 would be the threads proposal's shared forms). */
  private readLimits(): void {
    const r = this.r;
    const at = r.pos;
    const flags = r.readU8();
    if (flags > 1) r.fail(`integer too large: malformed limits flags 0x${flags.toString(16)}`, at);
    this.limitsMin = r.readVarU32();
    this.limitsMax = flags === 1 ? r.readVarU32() : -1;
  }

  private readTableType(imported: boolean): TableType {
    const r = this.r;
    const elemType = r.readRefType();
    const at = r.pos;
    this.readLimits();
    const min = this.limitsMin;
    const max = this.limitsMax;
    if (max >= 0 && min > max) r.fail(`size minimum must not be greater than maximum (${min} > ${max})`, at);
    return { elemType, min, max: max >= 0 ? max : null, imported };
  }

  private readMemoryType(imported: boolean): MemoryType {
    const r = this.r;
    const at = r.pos;
    this.readLimits();
    const min = this.limitsMin;
    const max = this.limitsMax;
    if (min > MAX_MEMORY_PAGES) r.fail(`memory size must be at most 65536 pages (4GiB): minimum is ${min}`, at);
    if (max > MAX_MEMORY_PAGES) r.fail(`memory size must be at most 65536 pages (4GiB): maximum is ${max}`, at);
    if (max >= 0 && min > max) r.fail(`size minimum must not be greater than maximum (${min} > ${max})`, at);
    // Wasm 2.0 has at most one memory (imported or defined).
    if (this.m.memories.length >= 1) r.fail('multiple memories are not allowed in Wasm 2.0', at);
    return { min, max: max >= 0 ? max : null, imported };
  }

  private readGlobalSection(): void {
    const r = this.r;
    const m = this.m;
    const count = r.readVecLength(1);
    for (let i = 0; i < count; i++) {
      const type = r.readValType();
      const mutable = this.readMutability();
      const init = readConstExpr(r, m, type);
      m.globals.push({ type, mutable, imported: false, init });
    }
  }

  private readExportSection(): void {
    const r = this.r;
    const m = this.m;
    const count = r.readVecLength(1);
    for (let i = 0; i < count; i++) {
      const nameAt = r.pos;
      const name = r.readName();
      const kindAt = r.pos;
      const kind = r.readU8();
      const indexAt = r.pos;
      const index = r.readVarU32();
      let size: number;
      switch (kind) {
        case ExternalKind.FUNCTION:
          size = m.functions.length;
          break;
        case ExternalKind.TABLE:
          size = m.tables.length;
          break;
        case ExternalKind.MEMORY:
          size = m.memories.length;
          break;
        case ExternalKind.GLOBAL:
          size = m.globals.length;
          break;
        default:
          return r.fail(`malformed export kind ${kind}`, kindAt);
      }
      if (index >= size) r.fail(`unknown ${EXTERNAL_KIND_NAMES[kind]} ${index}`, indexAt);
      if (this.exportNames.has(name)) r.fail(`duplicate export name "${name}"`, nameAt);
      this.exportNames.add(name);
      if (kind === ExternalKind.FUNCTION) markFunctionRef(m, index);
      m.exports.push({ name, kind, index });
    }
  }

  private readStartSection(): void {
    const r = this.r;
    const m = this.m;
    const at = r.pos;
    const index = r.readVarU32();
    if (index >= m.functions.length) r.fail(`unknown function ${index}`, at);
    const type = m.functionType(index);
    if (type.params.length !== 0 || type.results.length !== 0) {
      r.fail(`start function ${index} must have type [] -> [], not ${describeFuncType(type)}`, at);
    }
    m.start = index;
  }

  private readElementSection(): void {
    const r = this.r;
    const m = this.m;
    const count = r.readVecLength(2);
    for (let i = 0; i < count; i++) {
      const segmentAt = r.pos;
      const flags = r.readVarU32();
      if (flags > 7) r.fail(`malformed elements segment kind ${flags}`, segmentAt);
      // Bit 0: passive or declarative; bit 1: explicit table (active) or declarative; bit 2: items as expressions.
      const active = (flags & 1) === 0;
      const mode = active ? SegmentMode.ACTIVE : flags & 2 ? SegmentMode.DECLARATIVE : SegmentMode.PASSIVE;
      const usesExprs = (flags & 4) !== 0;
      let table = 0;
      const tableAt = r.pos;
      if (active && flags & 2) table = r.readVarU32();
      const offset = active ? readConstExpr(r, m, ValType.I32) : null;
      let elemType: ValType = ValType.FUNCREF;
      if ((flags & 3) !== 0) {
        if (usesExprs) elemType = r.readRefType();
        else {
          const kindAt = r.pos;
          if (r.readU8() !== 0x00) r.fail('malformed element kind', kindAt);
        }
      }
      const n = r.readVecLength(1);
      let funcIndices: Uint32Array | null = null;
      let exprs: ConstExpr[] | null = null;
      if (usesExprs) {
        exprs = [];
        for (let k = 0; k < n; k++) exprs.push(readConstExpr(r, m, elemType));
      } else {
        funcIndices = new Uint32Array(n);
        for (let k = 0; k < n; k++) {
          const at = r.pos;
          const f = r.readVarU32();
          if (f >= m.functions.length) r.fail(`unknown function ${f}`, at);
          markFunctionRef(m, f);
          funcIndices[k] = f;
        }
      }
      if (active) {
        if (table >= m.tables.length) r.fail(`unknown table ${table}`, tableAt);
        const tableType = m.tables[table].elemType;
        if (tableType !== elemType) {
          r.fail(`type mismatch: element segment of ${valTypeName(elemType)} for table of ${valTypeName(tableType)}`, segmentAt);
        }
      }
      m.elements.push({ mode, table, offset, elemType, funcIndices, exprs });
    }
  }

  private readCodeSection(): void {
    const r = this.r;
    const m = this.m;
    const countAt = r.pos;
    const count = r.readVecLength(2);
    const declared = Math.max(this.declaredFunctions, 0);
    if (count !== declared) {
      r.fail(`function and code section have inconsistent lengths (${declared} functions, ${count} bodies)`, countAt);
    }
    this.sawCode = true;
    const first = m.numImportedFunctions;
    for (let i = 0; i < count; i++) {
      const sizeAt = r.pos;
      const size = r.readVarU32();
      const start = r.pos;
      if (size > r.end - start) r.fail(`length out of bounds: function body of ${size} bytes exceeds the code section`, sizeAt);
      if (size > MAX_FUNCTION_BODY_SIZE) r.fail(`function body too large: ${size} bytes (implementation limit ${MAX_FUNCTION_BODY_SIZE})`, sizeAt);
      const decl = m.functions[first + i];
      decl.bodyStart = start;
      decl.bodyEnd = start + size;
      r.pos = start + size;
    }
  }

  private readDataSection(): void {
    const r = this.r;
    const m = this.m;
    const countAt = r.pos;
    const count = r.readVecLength(1);
    if (m.dataCount !== null && count !== m.dataCount) {
      r.fail(`data count and data section have inconsistent lengths (${m.dataCount} declared, ${count} segments)`, countAt);
    }
    this.sawData = true;
    for (let i = 0; i < count; i++) {
      const segmentAt = r.pos;
      const flags = r.readVarU32();
      if (flags > 2) r.fail(`malformed data segment kind ${flags}`, segmentAt);
      let memory = 0;
      let offset: ConstExpr | null = null;
      const memoryAt = r.pos;
      if (flags === 2) memory = r.readVarU32();
      if (flags !== 1) {
        if (memory >= m.memories.length) r.fail(`unknown memory ${memory}`, flags === 2 ? memoryAt : segmentAt);
        offset = readConstExpr(r, m, ValType.I32);
      }
      const start = r.readByteVector();
      m.datas.push({ mode: flags === 1 ? SegmentMode.PASSIVE : SegmentMode.ACTIVE, memory, offset, start, end: r.pos });
    }
  }

  private finish(): void {
    const m = this.m;
    const r = this.r;
    if (this.declaredFunctions > 0 && !this.sawCode) {
      r.fail(`function and code section have inconsistent lengths (${this.declaredFunctions} functions, no code section)`, this.bytes.length);
    }
    if (m.dataCount !== null && m.dataCount !== 0 && !this.sawData) {
      r.fail(`data count and data section have inconsistent lengths (${m.dataCount} declared, no data section)`, this.bytes.length);
    }
    if (m.declaredFunctionRefs.length !== m.functions.length) {
      const refs = new Uint8Array(m.functions.length);
      refs.set(m.declaredFunctionRefs.subarray(0, refs.length));
      m.declaredFunctionRefs = refs;
    }
  }
}

const EXTERNAL_KIND_NAMES = ['function', 'table', 'memory', 'global'];

export function describeFuncType(type: FuncType): string {
  const list = (types: Uint8Array) => '[' + Array.from(types, valTypeName).join(' ') + ']';
  return `${list(type.params)} -> ${list(type.results)}`;
}
