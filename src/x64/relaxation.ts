// Branch relaxation: choose rel8 or rel32 for every label-targeting jmp/jcc, and recompute alignment padding.
//
// Design (grow-only, as in LLVM's MC layer): a branch is emitted short (2 bytes) unless its target is already bound
// and out of rel8 range, in which case it is emitted long at once. At finish() this pass computes the final layout:
// it walks the layout events (branches and alignment directives) in order, places each one, and grows every short
// branch whose displacement no longer fits; it repeats until nothing grows. Because a branch only ever grows,
// the loop ends after at most (number of branches + 1) passes (typically 1-2), and at the fixpoint every short
// branch provably fits in the final layout. (Shrink-based schemes can oscillate once alignment padding is involved:
// shrinking code before an align directive can lengthen the padding and push a target out of range.)
// Alignment padding is recomputed from each directive's new start on every pass.

export const EV_JMP = 0;
export const EV_JCC = 1;
export const EV_ALIGN = 2;

export const JMP_SHORT = 2; // EB rel8
export const JMP_LONG = 5; // E9 rel32
export const JCC_SHORT = 2; // 7x rel8
export const JCC_LONG = 6; // 0F 8x rel32

/**
 * Layout events are packed four int32s each, in emission order (so `at` is nondecreasing):
 * [provisional start offset, kind | cond << 2, target label (branches) or alignment (EV_ALIGN), provisional size].
 */
export const EV_STRIDE = 4;
export const EV_AT = 0;
export const EV_KIND = 1;
export const EV_ARG = 2;
export const EV_SIZE = 3;

export interface Layout {
  /** Final size of each event. */
  readonly size: Int32Array;
  /** Final start offset of each event. */
  readonly start: Int32Array;
  /** shiftAfter[k]: how far a position after the first k events moves (k = 0..n). */
  readonly shiftAfter: Int32Array;
  /** Provisional end offset of each event (nondecreasing), used to map positions. */
  readonly provisionalEnd: Int32Array;
  /** True when any event changed size (bytes must move; otherwise every position maps to itself). */
  readonly moved: boolean;
}

/** Number of events that end at or before `pos` in the provisional layout (upper bound in `ends`). */
export function eventsBefore(ends: Int32Array, pos: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Final position of a provisional position `pos`. */
export function mapPosition(layout: Layout, pos: number): number {
  return layout.moved ? pos + layout.shiftAfter[eventsBefore(layout.provisionalEnd, pos)]! : pos;
}

/**
 * Computes the final layout of `count` events packed in `ev`. `labelOffset[label]` is a label's provisional offset
 * (the caller has checked every branch target is bound).
 */
export function relaxLayout(ev: Int32Array, count: number, labelOffset: readonly number[]): Layout {
  const n = count;
  const size = new Int32Array(n);
  const start = new Int32Array(n);
  const shiftAfter = new Int32Array(n + 1);
  const provisionalEnd = new Int32Array(n);
  for (let e = 0, o = 0; e < n; e++, o += EV_STRIDE) {
    size[e] = ev[o + EV_SIZE]!;
    start[e] = ev[o + EV_AT]!;
    provisionalEnd[e] = ev[o + EV_AT]! + ev[o + EV_SIZE]!;
  }

  // First pass in the provisional layout: usually nothing grows and alignment is unchanged, and we are done.
  let grew = false;
  for (let e = 0, o = 0; e < n; e++, o += EV_STRIDE) {
    if ((ev[o + EV_KIND]! & 3) === EV_ALIGN || size[e] !== 2) continue;
    const rel = labelOffset[ev[o + EV_ARG]!]! - (start[e]! + 2);
    if (rel < -128 || rel > 127) {
      size[e] = (ev[o + EV_KIND]! & 3) === EV_JMP ? JMP_LONG : JCC_LONG;
      grew = true;
    }
  }
  if (!grew) return { size, start, shiftAfter, provisionalEnd, moved: false };

  // Each branch's target, as (provisional offset, index of the first event after it).
  const targetPos = new Int32Array(n);
  const targetIdx = new Int32Array(n);
  for (let e = 0, o = 0; e < n; e++, o += EV_STRIDE) {
    if ((ev[o + EV_KIND]! & 3) === EV_ALIGN) continue;
    const t = labelOffset[ev[o + EV_ARG]!]!;
    targetPos[e] = t;
    targetIdx[e] = eventsBefore(provisionalEnd, t);
  }

  while (grew) {
    let shift = 0;
    for (let e = 0, o = 0; e < n; e++, o += EV_STRIDE) {
      const s = ev[o + EV_AT]! + shift;
      start[e] = s;
      if ((ev[o + EV_KIND]! & 3) === EV_ALIGN) size[e] = -s & (ev[o + EV_ARG]! - 1);
      shift += size[e]! - ev[o + EV_SIZE]!;
      shiftAfter[e + 1] = shift;
    }
    grew = false;
    for (let e = 0, o = 0; e < n; e++, o += EV_STRIDE) {
      const kind = ev[o + EV_KIND]! & 3;
      if (kind === EV_ALIGN || size[e] !== 2) continue;
      const rel = targetPos[e]! + shiftAfter[targetIdx[e]!]! - (start[e]! + 2);
      if (rel < -128 || rel > 127) {
        size[e] = kind === EV_JMP ? JMP_LONG : JCC_LONG;
        grew = true;
      }
    }
  }

  return { size, start, shiftAfter, provisionalEnd, moved: true };
}
