// Stack frame of a compiled function (System V, frame pointer kept so traps can walk the rbp chain):
//
//   [rbp + 16 …]        incoming stack arguments
//   [rbp + 8]           return address
//   [rbp]               caller's rbp                              ← rbp
//   [rbp - 8 …]         callee-saved registers the allocation used (pushed)
//   …                   spill slots, 8 bytes each: slot k at [rbp - savedBytes - 8(k+1)]
//   …                   return area for calls with more results than registers
//   [rsp …]             outgoing stack arguments                   ← rsp (16-byte aligned at every call)
//
// rsp stays fixed in the body (no pushes), so outgoing arguments and the return area are rsp-relative.

import { CALLEE_SAVED_GPRS } from '../x64/abi.js';
import { pregSetHas, type RegAllocOutput } from './regalloc-types.js';
import type { VCode } from './vcode.js';

export interface FrameLayout {
  /** Callee-saved registers to push (in push order). */
  readonly savedRegs: readonly number[];
  readonly savedBytes: number;
  /** Bytes subtracted from rsp after the pushes. */
  readonly allocBytes: number;
  /** Total bytes below rbp (pushes + allocation). */
  readonly frameSize: number;
  readonly outgoingArgBytes: number;
  /** rsp-relative offset of the return area. */
  readonly returnAreaOffset: number;
  readonly numSpillSlots: number;
}

export function computeFrame(vcode: VCode, alloc: RegAllocOutput): FrameLayout {
  const savedRegs: number[] = [];
  for (const r of CALLEE_SAVED_GPRS) if (pregSetHas(alloc.usedCalleeSaved, r)) savedRegs.push(r);
  const savedBytes = savedRegs.length * 8;
  const body = alloc.numSpillSlots * 8 + vcode.returnAreaBytes + vcode.outgoingArgBytes;
  // After `push rbp` rsp is 16-aligned; the pushes plus the allocation must keep it so.
  const frameSize = (savedBytes + body + 15) & ~15;
  return {
    savedRegs,
    savedBytes,
    allocBytes: frameSize - savedBytes,
    frameSize,
    outgoingArgBytes: vcode.outgoingArgBytes,
    returnAreaOffset: vcode.outgoingArgBytes,
    numSpillSlots: alloc.numSpillSlots,
  };
}

/** rbp-relative displacement of spill slot `slot`. */
export function spillSlotOffset(frame: FrameLayout, slot: number): number {
  return -(frame.savedBytes + 8 * (slot + 1));
}
