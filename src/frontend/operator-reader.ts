/**
 * OperatorReader: an allocation-free cursor over a function body (or a constant expression). `next()` decodes one
 * operator and returns its dense id (opcodes.ts); the immediates stay in fields until the next call:
 *
 * | immediates (operator-table.ts Imm)         | fields                                                            |
 * | ------------------------------------------ | ----------------------------------------------------------------- |
 * | block / loop / if                          | blockType (value-types.ts: ≥ 0 type index, else empty/one result) |
 * | br, br_if, call, local.*, global.*, table.get/set/size/grow/fill, ref.func, elem.drop, data.drop, memory.init | index |
 * | call_indirect                              | index = type index, index2 = table index                          |
 * | table.init                                 | index = element segment, index2 = table                           |
 * | table.copy                                 | index = destination table, index2 = source table                  |
 * | br_table                                   | brTableTargets[0 … brTableCount), index = default label           |
 * | loads / stores (incl. SIMD)                | align (log2), offset (u32)                                        |
 * | SIMD lane ops (+ memarg for load/store_lane) | lane                                                            |
 * | i32.const                                  | i32                                                               |
 * | i64.const                                  | i64lo, i64hi (int32 halves)                                       |
 * | f32.const                                  | f32bits (int32 bit pattern)                                       |
 * | f64.const                                  | f64lo, f64hi (int32 halves of the bit pattern)                    |
 * | v128.const / i8x16.shuffle                 | v128 (16 bytes: the constant, or the 16 lane indices)             |
 * | ref.null, typed select                     | valType                                                           |
 *
 * The validator walks bodies with it, and the translator walks them again with the same reader: one decoder, one
 * truth about the binary format. Walking a (validated) body:
 *
 *   const r = new OperatorReader(module.bytes);
 *   const decl = module.definedFunction(i);
 *   r.reset(module.bytes, decl.bodyStart, decl.bodyEnd, module.numImportedFunctions + i);
 *   r.readLocals(module.types[decl.typeIndex].params);   // r.localTypes[0 … r.localCount)
 *   while (r.pos < r.end) {
 *     switch (r.next()) {
 *       case Op.LOCAL_GET: … r.index …; break;
 *       case Op.I64_CONST: … r.i64lo, r.i64hi …; break;
 *     }
 *   }
 *
 * Errors (malformed immediates, running past `end`) are CompileErrors at `opOffset` naming `functionIndex`.
 */
import { BinaryReader } from './binary-reader.js';
import { OP_COUNT, OP_PREFIX_FC_BASE, OP_PREFIX_FD_BASE } from './opcodes.js';
import { Imm, OP_IMMEDIATE } from './operator-table.js';
import { BLOCK_TYPE_EMPTY, ValType, valTypeFromCode } from './value-types.js';
import { MAX_FUNCTION_LOCALS } from './limits.js';

export class OperatorReader extends BinaryReader {
  /** Byte offset (in `bytes`) of the current operator's first byte. */
  opOffset = 0;
  index = 0;
  index2 = 0;
  blockType = 0;
  align = 0;
  offset = 0;
  lane = 0;
  i32 = 0;
  f32bits = 0;
  f64lo = 0;
  f64hi = 0;
  valType = 0;
  readonly v128 = new Uint8Array(16);
  brTableCount = 0;
  brTableTargets = new Uint32Array(16);

  /** Types of the current function's locals (params first), filled by readLocals(); valid in [0, localCount). */
  localTypes = new Uint8Array(64);
  localCount = 0;

  /** Points the reader at bytes[start, end) — e.g. a function body — for `functionIndex`'s error messages. */
  reset(bytes: Uint8Array, start: number, end: number, functionIndex = -1): void {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.functionIndex = functionIndex;
    this.inSection = true;
  }

  /**
   * Reads a body's local declarations (call first, at the body's start): fills localTypes with the parameters and
   * then each declared local, sets localCount. Total count is bounded (MAX_FUNCTION_LOCALS) before any allocation.
   */
  readLocals(params: Uint8Array): void {
    const groupsAt = this.pos;
    const groups = this.readVecLength(2);
    const groupsEnd = this.pos;
    // First pass: sum the counts, so a huge declared count fails before allocating.
    let total = params.length;
    for (let g = 0; g < groups; g++) {
      const at = this.pos;
      total += this.readVarU32();
      if (total > 0xffffffff) this.fail('too many locals', at);
      this.readU8();
    }
    if (total > MAX_FUNCTION_LOCALS) {
      this.fail(`too many locals: ${total} (implementation limit ${MAX_FUNCTION_LOCALS})`, groupsAt);
    }
    if (this.localTypes.length < total) this.localTypes = new Uint8Array(Math.max(total, this.localTypes.length * 2));
    const types = this.localTypes;
    let n = params.length;
    // Plain loops: these lists are short, and typed-array set/fill calls cost more than they save here.
    for (let i = 0; i < n; i++) types[i] = params[i];
    this.pos = groupsEnd;
    for (let g = 0; g < groups; g++) {
      const count = this.readVarU32();
      const at = this.pos;
      const t = valTypeFromCode(this.readU8());
      if (t < 0) this.fail('malformed value type', at);
      for (let i = n, e = n + count; i < e; i++) types[i] = t;
      n += count;
    }
    this.localCount = n;
  }

  /**
   * Decodes the next operator; returns its id and leaves its immediates in this reader's fields.
   *
   * Kept small so the JIT inlines it into the caller's loop: it handles the most frequent shapes (no immediate, or
   * a one-byte index or i32 constant — about two thirds of real code) and leaves everything else to nextGeneral().
   */
  next(): number {
    const pos = this.pos;
    this.opOffset = pos;
    if (pos + 1 < this.end) {
      const bytes = this.bytes;
      const op = bytes[pos];
      const imm = OP_IMMEDIATE[op];
      if (imm === Imm.NONE) {
        this.pos = pos + 1;
        return op;
      }
      const b = bytes[pos + 1];
      if (b < 0x80) {
        if (imm === Imm.INDEX) {
          this.index = b;
          this.pos = pos + 2;
          return op;
        }
        if (imm === Imm.I32) {
          this.i32 = (b << 25) >> 25;
          this.pos = pos + 2;
          return op;
        }
      }
    }
    return this.nextGeneral();
  }

  /** next() for every operator shape (and for the last byte of the range). */
  private nextGeneral(): number {
    const bytes = this.bytes;
    const pos = this.pos;
    if (pos >= this.end) this.failEnd();
    let op = bytes[pos];
    this.pos = pos + 1;
    if (op >= 0xfc) op = this.readPrefixedOpcode(op);
    switch (OP_IMMEDIATE[op]) {
      case Imm.NONE:
        return op;
      case Imm.INDEX:
        this.index = this.readVarU32();
        return op;
      case Imm.MEMARG:
        this.align = this.readVarU32();
        this.offset = this.readVarU32();
        return op;
      case Imm.I32:
        this.i32 = this.readVarS32();
        return op;
      case Imm.BLOCK_TYPE:
        this.blockType = this.readBlockType();
        return op;
      case Imm.I64:
        this.readVarS64();
        return op;
      case Imm.F32:
        this.f32bits = this.readFixedI32();
        return op;
      case Imm.F64:
        this.f64lo = this.readFixedI32();
        this.f64hi = this.readFixedI32();
        return op;
      case Imm.BR_TABLE:
        this.readBrTable();
        return op;
      case Imm.CALL_INDIRECT:
      case Imm.TWO_INDICES:
        this.index = this.readVarU32();
        this.index2 = this.readVarU32();
        return op;
      case Imm.ZERO_BYTE:
        this.readZeroByte();
        return op;
      case Imm.INDEX_ZERO_BYTE:
        this.index = this.readVarU32();
        this.readZeroByte();
        return op;
      case Imm.TWO_ZERO_BYTES:
        this.readZeroByte();
        this.readZeroByte();
        return op;
      case Imm.LANE:
        this.lane = this.readU8();
        return op;
      case Imm.MEMARG_LANE:
        this.align = this.readVarU32();
        this.offset = this.readVarU32();
        this.lane = this.readU8();
        return op;
      case Imm.V128:
      case Imm.SHUFFLE:
        this.read16Bytes();
        return op;
      case Imm.REF_TYPE:
        this.valType = this.readRefType();
        return op;
      case Imm.SELECT_T:
        this.readSelectType();
        return op;
      default:
        return this.fail(`illegal opcode ${describeOpcode(op)}`, this.opOffset);
    }
  }

  /** After a 0xFC / 0xFD prefix byte (already consumed): the u32 sub-opcode, mapped to its id range. */
  private readPrefixedOpcode(prefix: number): number {
    if (prefix === 0xfc || prefix === 0xfd) {
      const sub = this.readVarU32();
      const op = (prefix === 0xfc ? OP_PREFIX_FC_BASE : OP_PREFIX_FD_BASE) + sub;
      if (sub < 0x100 && op < OP_COUNT && OP_IMMEDIATE[op] !== Imm.INVALID) return op;
      return this.fail(`illegal opcode 0x${prefix.toString(16)} ${sub}`, this.opOffset);
    }
    return this.fail(`illegal opcode 0x${prefix.toString(16)}`, this.opOffset);
  }

  /** blocktype: 0x40, a value type byte, or a non-negative s33 type index. */
  private readBlockType(): number {
    const pos = this.pos;
    if (pos >= this.end) this.failEnd();
    const b = this.bytes[pos];
    if (b === 0x40) {
      this.pos = pos + 1;
      return BLOCK_TYPE_EMPTY;
    }
    if (valTypeFromCode(b) >= 0) {
      this.pos = pos + 1;
      return b - 0x80; // the byte read as a one-byte s33: 0x7F → -1 …
    }
    const index = this.readVarS33();
    if (index < 0) this.fail('malformed block type', pos);
    return index;
  }

  private readBrTable(): void {
    // Each target takes at least one byte, and the default follows: bounds the allocation below.
    const count = this.readVecLength(1);
    if (this.brTableTargets.length < count) this.brTableTargets = new Uint32Array(Math.max(count, this.brTableTargets.length * 2));
    const targets = this.brTableTargets;
    for (let i = 0; i < count; i++) targets[i] = this.readVarU32();
    this.brTableCount = count;
    this.index = this.readVarU32();
  }

  private readZeroByte(): void {
    const at = this.pos;
    if (this.readU8() !== 0) this.fail('zero byte expected', at);
  }

  private read16Bytes(): void {
    const pos = this.pos;
    if (this.end - pos < 16) this.failEnd();
    for (let i = 0; i < 16; i++) this.v128[i] = this.bytes[pos + i];
    this.pos = pos + 16;
  }

  /** A reference type byte (0x70 funcref, 0x6F externref). */
  readRefType(): number {
    const at = this.pos;
    const b = this.readU8();
    if (b === 0x70) return ValType.FUNCREF;
    if (b === 0x6f) return ValType.EXTERNREF;
    return this.fail('malformed reference type', at);
  }

  /** A value type byte. */
  readValType(): number {
    const at = this.pos;
    const t = valTypeFromCode(this.readU8());
    if (t < 0) this.fail('malformed value type', at);
    return t;
  }

  private readSelectType(): void {
    const at = this.pos;
    const count = this.readVecLength(1);
    for (let i = 0; i < count; i++) {
      const t = this.readValType();
      if (i === 0) this.valType = t;
    }
    if (count !== 1) this.fail('invalid result arity: typed select takes exactly one type', at);
  }
}

function describeOpcode(op: number): string {
  if (op >= OP_PREFIX_FD_BASE) return `0xfd ${op - OP_PREFIX_FD_BASE}`;
  if (op >= OP_PREFIX_FC_BASE) return `0xfc ${op - OP_PREFIX_FC_BASE}`;
  return `0x${op.toString(16).padStart(2, '0')}`;
}
