// Per-function tables of the Emitter (block labels, forwarding, trap-site labels, ...), kept in grow-only buffers
// that one Emitter after another borrows: allocating and zeroing a dozen typed arrays per function cost more than
// emitting a small function. An Emitter takes the spare set when it is created and gives it back when
// emitFunction() returns, so two Emitters alive at once (never the case in the pipeline) simply get separate sets.

import { I32Buf, U8Buf } from './inst-store.js';

export class EmitScratch {
  readonly blockLabel = new I32Buf();
  readonly forwardTo = new I32Buf();
  readonly forwardStep = new I32Buf();
  readonly nextEmitted = new I32Buf();
  readonly stubLabel = new I32Buf();
  readonly retLabel = new I32Buf();
  readonly siteInline = new U8Buf();
  readonly jumpTableLabel = new I32Buf();
  readonly constLabel = new I32Buf();
  readonly maskLabel = new I32Buf();
  /** Per program point (2 per instruction): 1 when the allocator placed an edit there. */
  readonly hasEdits = new U8Buf();
}

let spare: EmitScratch | null = null;

/** The spare scratch set, or a new one when it is taken. */
export function borrowEmitScratch(): EmitScratch {
  const s = spare ?? new EmitScratch();
  spare = null;
  return s;
}

/** Gives a scratch set back for the next Emitter (the caller must not use its views any more). */
export function returnEmitScratch(s: EmitScratch): void {
  spare = s;
}
