// The code buffer: bytes, labels, branch fixups and relaxation, RIP-relative fixups, the constant pool, alignment and
// relocations. The Assembler writes instruction bytes straight into `bytes` at `pos`; this class owns everything that
// depends on the final layout and resolves it in finish().
//
// Offsets read while emitting (`pos`, label offsets) are *provisional*: relaxation may grow branches and re-pad
// alignment at finish(). Anything that must survive (block starts, trap sites, call return addresses) should be a
// label, or be translated with FinishedCode.finalOffset().

import { X64EncodeError } from './errors.js';
import { ConstantPool } from './constant-pool.js';
import { writeNops } from './nops.js';
import { condName } from './condition-codes.js';
import {
  EV_ALIGN,
  EV_ARG,
  EV_AT,
  EV_JCC,
  EV_JMP,
  EV_KIND,
  EV_SIZE,
  EV_STRIDE,
  JCC_LONG,
  JMP_LONG,
  mapPosition,
  relaxLayout,
  type Layout,
} from './relaxation.js';

/** Relocation kinds the runtime patches at link time. */
export const RelocKind = {
  /** 32-bit PC-relative field (call/jmp rel32): write S + A - P, where P is the field's address; A is -4. */
  CallRel32: 0,
  /** 64-bit absolute field (movabs imm64): write S + A. */
  Abs64: 1,
} as const;
export type RelocKind = (typeof RelocKind)[keyof typeof RelocKind];

export interface Relocation {
  /** Offset of the field to patch within FinishedCode.bytes. */
  readonly offset: number;
  readonly kind: RelocKind;
  /** Caller-defined id of the external symbol (function index, builtin id, ...). */
  readonly target: number;
  readonly addend: number;
}

const UNBOUND = -1;
const POOL_UNPLACED = -2; // a constant-pool label before finish() places the pool

/** The result of CodeBuffer.finish(). */
export class FinishedCode {
  constructor(
    /** Code, then int3 padding, then the constant pool. */
    readonly bytes: Uint8Array,
    /** Bytes of instructions; the constant pool (if any) starts at or after this offset. */
    readonly codeSize: number,
    /** Final offset of every label id (-1 for labels never bound nor used). */
    readonly labelOffsets: Int32Array,
    readonly relocations: readonly Relocation[],
    private readonly layout: Layout,
  ) {}

  /** Final offset of a position read from Assembler.offset while emitting (e.g. a recorded trap site). */
  finalOffset(provisional: number): number {
    return mapPosition(this.layout, provisional);
  }

  labelOffset(label: number): number {
    const off = this.labelOffsets[label];
    if (off === undefined || off < 0) throw new RangeError(`label L${String(label)} has no offset (never bound)`);
    return off;
  }
}

export class CodeBuffer {
  bytes: Uint8Array;
  pos = 0;

  // Label id -> provisional offset, UNBOUND, or POOL_UNPLACED.
  private readonly labelOffset: number[] = [];

  // Layout events (branches to labels and alignment directives), packed EV_STRIDE int32s each (relaxation.ts).
  private ev = new Int32Array(64 * EV_STRIDE);
  private evCount = 0;

  // rel32 fields pointing at labels (RIP-relative operands, call rel32 to a label):
  // value = label + addend - (at + 4 + tail), where tail = instruction bytes after the field (an immediate).
  private readonly fxAt: number[] = [];
  private readonly fxLabel: number[] = [];
  private readonly fxAddend: number[] = [];
  private readonly fxTail: number[] = [];

  // Jump-table entries: int32 at `at` = offset(target) - offset(base).
  private readonly jtAt: number[] = [];
  private readonly jtTarget: number[] = [];
  private readonly jtBase: number[] = [];

  private readonly relAt: number[] = [];
  private readonly relKind: number[] = [];
  private readonly relTarget: number[] = [];
  private readonly relAddend: number[] = [];

  private readonly pool = new ConstantPool();
  private finished = false;

  constructor(initialCapacity = 4096) {
    this.bytes = new Uint8Array(Math.max(64, initialCapacity | 0));
  }

  /** Makes room for `n` more bytes (instructions call this with 16 before writing: the longest is 15). */
  ensure(n: number): void {
    if (this.pos + n > this.bytes.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    let cap = this.bytes.length * 2;
    while (cap < needed) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
  }

  // ---- labels ----

  newLabel(): number {
    this.labelOffset.push(UNBOUND);
    return this.labelOffset.length - 1;
  }

  get labelCount(): number {
    return this.labelOffset.length;
  }

  bind(label: number): void {
    const off = this.checkLabel(label, 'bind');
    if (off === POOL_UNPLACED) {
      throw new X64EncodeError(`bind L${String(label)}`, 'this label is a constant-pool entry; it is placed by finish()');
    }
    if (off !== UNBOUND) {
      throw new X64EncodeError(
        `bind L${String(label)}`,
        `label already bound at offset 0x${off.toString(16)} (now at 0x${this.pos.toString(16)}); a label can be bound once`,
      );
    }
    this.labelOffset[label] = this.pos;
  }

  /** Provisional offset of a bound label, or -1. */
  boundOffset(label: number): number {
    const off = this.labelOffset[label];
    return off === undefined || off < 0 ? -1 : off;
  }

  private checkLabel(label: number, what: string): number {
    const off = this.labelOffset[label];
    if (off === undefined) throw new X64EncodeError(`${what} L${String(label)}`, 'unknown label (not created by this buffer)');
    return off;
  }

  // ---- branches ----

  /**
   * Emits `jmp label` (cond < 0) or `j<cond> label`. Short (rel8) when the target is bound and in range or not yet
   * bound; long (rel32) when the bound target is already out of range. finish() grows short ones as needed.
   */
  branch(cond: number, label: number): void {
    const target = this.labelOffset[label];
    if (target === undefined || target === POOL_UNPLACED) this.badBranchTarget(cond, label);
    this.ensure(16);
    const b = this.bytes;
    const p = this.pos;
    let size = 2;
    if (target >= 0) {
      const rel8 = target - (p + 2);
      if (rel8 < -128 || rel8 > 127) size = cond < 0 ? JMP_LONG : JCC_LONG;
    }
    // Opcode bytes are (re)written at finish(); write them now too so the provisional bytes disassemble sensibly.
    if (size === 2) {
      b[p] = cond < 0 ? 0xeb : 0x70 | cond;
      b[p + 1] = 0;
    } else if (cond < 0) {
      b[p] = 0xe9;
      b[p + 1] = b[p + 2] = b[p + 3] = b[p + 4] = 0;
    } else {
      b[p] = 0x0f;
      b[p + 1] = 0x80 | cond;
      b[p + 2] = b[p + 3] = b[p + 4] = b[p + 5] = 0;
    }
    this.addEvent(p, cond < 0 ? EV_JMP : EV_JCC | (cond << 2), label, size);
    this.pos = p + size;
  }

  private addEvent(at: number, kind: number, arg: number, size: number): void {
    let o = this.evCount * EV_STRIDE;
    if (o + EV_STRIDE > this.ev.length) {
      const next = new Int32Array(this.ev.length * 2);
      next.set(this.ev);
      this.ev = next;
    }
    const ev = this.ev;
    ev[o++] = at;
    ev[o++] = kind;
    ev[o++] = arg;
    ev[o] = size;
    this.evCount++;
  }

  private badBranchTarget(cond: number, label: number): never {
    const what = `${cond < 0 ? 'jmp' : `j${condName(cond)}`} L${String(label)}`;
    if (this.labelOffset[label] === POOL_UNPLACED) throw new X64EncodeError(what, 'cannot branch to a constant-pool entry');
    throw new X64EncodeError(what, 'unknown label (not created by this buffer)');
  }

  /** Pads with NOPs to a multiple of `alignment` (a power of two, 1..4096). The padding is redone after relaxation. */
  align(alignment: number): void {
    if (!(Number.isInteger(alignment) && alignment >= 1 && alignment <= 4096 && (alignment & (alignment - 1)) === 0)) {
      throw new X64EncodeError(`align ${String(alignment)}`, 'alignment must be a power of two between 1 and 4096');
    }
    const pad = -this.pos & (alignment - 1);
    this.ensure(pad);
    this.addEvent(this.pos, EV_ALIGN, alignment, pad);
    this.pos = writeNops(this.bytes, this.pos, pad);
  }

  // ---- fields resolved at finish ----

  /** Records a rel32 field at `at` that must hold label + addend - (at + 4 + tail). */
  addLabelRel32(at: number, label: number, addend: number, tail: number, what: string): void {
    this.checkLabel(label, what);
    this.fxAt.push(at);
    this.fxLabel.push(label);
    this.fxAddend.push(addend);
    this.fxTail.push(tail);
  }

  /** Emits a 4-byte jump-table entry holding offset(target) - offset(base) (both labels). */
  jumpTableEntry(target: number, base: number): void {
    this.checkLabel(target, 'jump table entry');
    this.checkLabel(base, 'jump table base');
    this.ensure(4);
    const p = this.pos;
    this.bytes[p] = this.bytes[p + 1] = this.bytes[p + 2] = this.bytes[p + 3] = 0;
    this.jtAt.push(p);
    this.jtTarget.push(target);
    this.jtBase.push(base);
    this.pos = p + 4;
  }

  addRelocation(at: number, kind: RelocKind, target: number, addend: number): void {
    this.relAt.push(at);
    this.relKind.push(kind);
    this.relTarget.push(target);
    this.relAddend.push(addend);
  }

  // ---- constants ----

  /**
   * Label of a deduplicated constant of `width` bytes (4, 8 or 16) given as four little-endian 32-bit words
   * (w0 = lowest). Address it with ripRel(label).
   */
  constant(width: 4 | 8 | 16, w0: number, w1 = 0, w2 = 0, w3 = 0): number {
    if (!(width === 4 || width === 8 || width === 16)) {
      throw new X64EncodeError(`constant width ${String(width)}`, 'constant width must be 4, 8 or 16 bytes');
    }
    // Words beyond the width are ignored; normalize everything to uint32 so equal bytes compare equal.
    const a = w0 >>> 0;
    const b = width >= 8 ? w1 >>> 0 : 0;
    const c = width === 16 ? w2 >>> 0 : 0;
    const d = width === 16 ? w3 >>> 0 : 0;
    const found = this.pool.find(width, a, b, c, d);
    if (found >= 0) return this.pool.labels[found]!;
    const label = this.newLabel();
    this.labelOffset[label] = POOL_UNPLACED;
    this.pool.add(width, a, b, c, d, label);
    return label;
  }

  get constantCount(): number {
    return this.pool.count;
  }

  // ---- finish ----

  finish(): FinishedCode {
    if (this.finished) throw new X64EncodeError('finish', 'this code buffer was already finished');
    this.finished = true;
    this.checkAllTargetsBound();

    const labelOffset = this.labelOffset;
    const ev = this.ev;
    const n = this.evCount;
    const layout = relaxLayout(ev, n, labelOffset);
    const codeEnd = this.pos + layout.shiftAfter[n]!;
    const poolAlign = this.pool.alignment;
    const poolStart = this.pool.count === 0 ? codeEnd : (codeEnd + poolAlign - 1) & -poolAlign;
    const total = poolStart + this.pool.byteSize;
    const out = new Uint8Array(total);

    // Copy the code, moving each run between events by the shift before it, and rewrite the events.
    out.set(this.bytes.subarray(0, this.pos));
    if (layout.moved) {
      // In place, last run first, with copyWithin (a subarray per run cost more than the copying). Shifts are never
      // negative (branches only grow, and an alignment's end only moves forward when its start does), so each run
      // moves right over bytes whose own run has already moved.
      const shiftAfter = layout.shiftAfter;
      for (let e = 0; e <= n; e++) {
        if (shiftAfter[e]! < 0) throw new Error(`x64 relaxation bug: negative shift ${String(shiftAfter[e])} after event ${String(e)}`);
      }
      let runEnd = this.pos;
      for (let e = n - 1, o = (n - 1) * EV_STRIDE; e >= -1; e--, o -= EV_STRIDE) {
        const runStart = e >= 0 ? ev[o + EV_AT]! + ev[o + EV_SIZE]! : 0;
        const shift = shiftAfter[e + 1]!;
        if (shift !== 0 && runEnd > runStart) out.copyWithin(runStart + shift, runStart, runEnd);
        if (e >= 0) runEnd = ev[o + EV_AT]!;
      }
      for (let e = 0, o = 0; e < n; e++, o += EV_STRIDE) {
        if ((ev[o + EV_KIND]! & 3) === EV_ALIGN) writeNops(out, layout.start[e]!, layout.size[e]!);
      }
    }
    out.fill(0xcc, codeEnd, poolStart);

    // Final label offsets: code labels move with the layout; pool labels are placed after the code.
    const finalLabels = new Int32Array(labelOffset.length);
    if (!layout.moved) {
      for (let l = 0; l < labelOffset.length; l++) finalLabels[l] = labelOffset[l]! >= 0 ? labelOffset[l]! : -1;
    } else {
      for (let l = 0; l < labelOffset.length; l++) {
        const off = labelOffset[l]!;
        finalLabels[l] = off >= 0 ? mapPosition(layout, off) : -1;
      }
    }
    this.pool.writeAt(out, poolStart, (label, offset) => {
      finalLabels[label] = offset;
    });

    this.patchBranches(out, layout, finalLabels);
    const view = new DataView(out.buffer);
    for (let i = 0; i < this.fxAt.length; i++) {
      const at = mapPosition(layout, this.fxAt[i]!);
      const value = finalLabels[this.fxLabel[i]!]! + this.fxAddend[i]! - (at + 4 + this.fxTail[i]!);
      if (value < -0x80000000 || value > 0x7fffffff) {
        throw new X64EncodeError(`rel32 to L${String(this.fxLabel[i])}`, `displacement ${String(value)} exceeds 32 bits`);
      }
      view.setInt32(at, value, true);
    }
    for (let i = 0; i < this.jtAt.length; i++) {
      const at = mapPosition(layout, this.jtAt[i]!);
      view.setInt32(at, finalLabels[this.jtTarget[i]!]! - finalLabels[this.jtBase[i]!]!, true);
    }
    const relocations: Relocation[] = [];
    for (let i = 0; i < this.relAt.length; i++) {
      relocations.push({
        offset: mapPosition(layout, this.relAt[i]!),
        kind: this.relKind[i] as RelocKind,
        target: this.relTarget[i]!,
        addend: this.relAddend[i]!,
      });
    }
    return new FinishedCode(out, codeEnd, finalLabels, relocations, layout);
  }

  private patchBranches(out: Uint8Array, layout: Layout, finalLabels: Int32Array): void {
    const ev = this.ev;
    for (let e = 0, o = 0; e < this.evCount; e++, o += EV_STRIDE) {
      const kind = ev[o + EV_KIND]! & 3;
      if (kind === EV_ALIGN) continue;
      const cond = ev[o + EV_KIND]! >> 2;
      const s = layout.start[e]!;
      const size = layout.size[e]!;
      const target = finalLabels[ev[o + EV_ARG]!]!;
      const rel = target - (s + size);
      if (size === 2) {
        // relaxLayout guarantees the fit; check anyway so a bug can never produce a wrong jump silently.
        if (rel < -128 || rel > 127) throw new Error(`x64 relaxation bug: rel8 ${String(rel)} out of range at 0x${s.toString(16)}`);
        out[s] = kind === EV_JMP ? 0xeb : 0x70 | cond;
        out[s + 1] = rel & 0xff;
      } else {
        let p = s;
        if (kind === EV_JMP) out[p++] = 0xe9;
        else {
          out[p++] = 0x0f;
          out[p++] = 0x80 | cond;
        }
        out[p] = rel & 0xff;
        out[p + 1] = (rel >> 8) & 0xff;
        out[p + 2] = (rel >> 16) & 0xff;
        out[p + 3] = (rel >> 24) & 0xff;
      }
    }
  }

  private checkAllTargetsBound(): void {
    const unbound = (label: number): boolean => this.labelOffset[label] === UNBOUND;
    const ev = this.ev;
    for (let o = 0; o < this.evCount * EV_STRIDE; o += EV_STRIDE) {
      const kind = ev[o + EV_KIND]! & 3;
      const label = ev[o + EV_ARG]!;
      if (kind !== EV_ALIGN && unbound(label)) {
        const what = kind === EV_JMP ? 'jmp' : `j${condName(ev[o + EV_KIND]! >> 2)}`;
        throw new X64EncodeError(
          `${what} L${String(label)}`,
          `label L${String(label)} (used at offset 0x${ev[o + EV_AT]!.toString(16)}) was never bound`,
        );
      }
    }
    for (let i = 0; i < this.fxAt.length; i++) {
      if (unbound(this.fxLabel[i]!)) {
        throw new X64EncodeError(
          `[rip + L${String(this.fxLabel[i])}]`,
          `label L${String(this.fxLabel[i])} (used at offset 0x${this.fxAt[i]!.toString(16)}) was never bound`,
        );
      }
    }
    for (let i = 0; i < this.jtAt.length; i++) {
      for (const l of [this.jtTarget[i]!, this.jtBase[i]!]) {
        if (unbound(l)) {
          throw new X64EncodeError(`jump table entry L${String(l)}`, `label L${String(l)} was never bound`);
        }
      }
    }
  }
}
