/**
 * ModuleInfo: everything a module declares, decoded from its sections. Function bodies stay as byte ranges into the
 * original bytes and are decoded on demand (validateFunction, the translator), so parsing a module costs little more
 * than a pass over its non-code sections.
 *
 * Index spaces follow the spec: in `functions`, `tables`, `memories` and `globals`, imported entries come first, in
 * import order, then the module's own definitions.
 */
import type { Op } from './opcodes.js';
import { BLOCK_TYPE_EMPTY, blockTypeValType, ValType } from './value-types.js';

/** A function type; params and results hold ValType values. */
export interface FuncType {
  readonly params: Uint8Array;
  readonly results: Uint8Array;
}

export const enum ExternalKind {
  FUNCTION = 0,
  TABLE = 1,
  MEMORY = 2,
  GLOBAL = 3,
}

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternalKind;
  /** The imported entity's index in its kind's index space (e.g. functions[index]). */
  readonly index: number;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternalKind;
  readonly index: number;
}

export interface FunctionDecl {
  readonly typeIndex: number;
  readonly imported: boolean;
  /** Defined functions: the body's byte range [bodyStart, bodyEnd) in ModuleInfo.bytes (local declarations first); 0 for imports. */
  bodyStart: number;
  bodyEnd: number;
}

export interface TableType {
  readonly elemType: ValType;
  readonly min: number;
  readonly max: number | null;
  readonly imported: boolean;
}

/** Limits in 64 KiB pages. */
export interface MemoryType {
  readonly min: number;
  readonly max: number | null;
  readonly imported: boolean;
}

export interface GlobalDecl {
  readonly type: ValType;
  readonly mutable: boolean;
  readonly imported: boolean;
  /** Initializer of a defined global; null for imports. */
  readonly init: ConstExpr | null;
}

/**
 * A validated constant expression, in a form the runtime evaluates without decoding: one operator (Wasm 2.0 constant
 * expressions are exactly one instruction before `end`) and its immediate.
 */
export class ConstExpr {
  constructor(
    /** Op.I32_CONST, I64_CONST, F32_CONST, F64_CONST, V128_CONST, GLOBAL_GET, REF_NULL or REF_FUNC. */
    readonly op: Op,
    /** The value's type. */
    readonly type: ValType,
    /** i32 value; low half of i64 value; f32 bits; low half of f64 bits (all as int32). */
    readonly lo: number,
    /** High half of the i64 value or of the f64 bits (int32); 0 otherwise. */
    readonly hi: number,
    /** global.get: global index; ref.func: function index; 0 otherwise. */
    readonly index: number,
    /** v128.const: the 16 bytes; null otherwise. */
    readonly v128: Uint8Array | null,
    /** Byte range [start, end) of the expression in the module (including its `end` opcode). */
    readonly start: number,
    readonly end: number,
  ) {}
}

export const enum SegmentMode {
  ACTIVE = 0,
  PASSIVE = 1,
  DECLARATIVE = 2,
}

export interface ElementSegment {
  readonly mode: SegmentMode;
  /** Active segments: the table they initialize; 0 otherwise. */
  readonly table: number;
  /** Active segments: the offset; null otherwise. */
  readonly offset: ConstExpr | null;
  readonly elemType: ValType;
  /** Items as function indices (the compact encodings 0–3), or null when given as expressions. */
  readonly funcIndices: Uint32Array | null;
  /** Items as constant expressions (encodings 4–7), or null when given as function indices. */
  readonly exprs: ConstExpr[] | null;
}

export interface DataSegment {
  readonly mode: SegmentMode.ACTIVE | SegmentMode.PASSIVE;
  readonly memory: number;
  readonly offset: ConstExpr | null;
  /** The data bytes: ModuleInfo.bytes[start, end). */
  readonly start: number;
  readonly end: number;
}

export interface CustomSection {
  readonly name: string;
  /** Payload range (after the name) in ModuleInfo.bytes. */
  readonly start: number;
  readonly end: number;
}

/** Decoded `name` custom section; empty when absent or malformed (a custom section never rejects a module). */
export interface NameInfo {
  module: string | null;
  functions: Map<number, string>;
  locals: Map<number, Map<number, string>>;
}

const EMPTY_TYPES = new Uint8Array(0);
/** One-element arrays for single-result block types, indexed by ValType. */
const SINGLE_TYPES: Uint8Array[] = [0, 1, 2, 3, 4, 5, 6].map((t) => Uint8Array.of(t));

export class ModuleInfo {
  /** The module's bytes (not copied: the caller must not change them while this ModuleInfo is in use). */
  readonly bytes: Uint8Array;
  types: FuncType[] = [];
  imports: Import[] = [];
  functions: FunctionDecl[] = [];
  tables: TableType[] = [];
  memories: MemoryType[] = [];
  globals: GlobalDecl[] = [];
  exports: Export[] = [];
  /** Start function index, or null. */
  start: number | null = null;
  elements: ElementSegment[] = [];
  datas: DataSegment[] = [];
  /** The data count section's value, or null when the section is absent. */
  dataCount: number | null = null;
  numImportedFunctions = 0;
  numImportedTables = 0;
  numImportedMemories = 0;
  numImportedGlobals = 0;
  customSections: CustomSection[] = [];
  names: NameInfo = { module: null, functions: new Map(), locals: new Map() };
  /** Why the name section was ignored, when it was malformed (for diagnostics); null otherwise. */
  nameSectionError: string | null = null;
  /**
   * C.refs of the spec: 1 for each function index referenced outside function bodies (element segments, exports,
   * global initializers). Only those may be taken by `ref.func` inside a body.
   */
  declaredFunctionRefs: Uint8Array = new Uint8Array(0);

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get numDefinedFunctions(): number {
    return this.functions.length - this.numImportedFunctions;
  }

  /** Type of a function in the function index space. */
  functionType(funcIndex: number): FuncType {
    return this.types[this.functions[funcIndex].typeIndex];
  }

  /** The declaration of the i-th defined (non-imported) function. */
  definedFunction(definedIndex: number): FunctionDecl {
    return this.functions[this.numImportedFunctions + definedIndex];
  }

  /** Parameter types of a (validated) block type, as the reader reports it. */
  blockParams(blockType: number): Uint8Array {
    return blockType >= 0 ? this.types[blockType].params : EMPTY_TYPES;
  }

  /** Result types of a (validated) block type. */
  blockResults(blockType: number): Uint8Array {
    if (blockType >= 0) return this.types[blockType].results;
    if (blockType === BLOCK_TYPE_EMPTY) return EMPTY_TYPES;
    return SINGLE_TYPES[blockTypeValType(blockType)];
  }
}
