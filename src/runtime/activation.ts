/**
 * The process-wide native activation record: what the entry trampolines and the raise routine share.
 *
 *   +0   entrySp       rsp saved by the innermost entry trampoline (0 when no wasm is running)
 *   +8   trapPc        return address of the `call raise` that trapped (the trap site)
 *   +16  trapFp        rbp at the trap (start of the frame-pointer chain)
 *   +24  trapEntrySp   entrySp of the activation the trap unwound to
 *   +32  frameCount    return addresses captured by raise
 *   +40  trapped       set to 1 by raise; the JS side clears it when it reports the trap (direct entries return the
 *                      callee's result, not a status, so they learn of a trap from this flag)
 *   +48  directCallee  VMFuncRef address (as a double) that the next direct entry trampoline calls (direct-entry.ts)
 *   +56  hostFailed    set to 1 by a direct host callback whose JS function threw (direct-import.ts); the import
 *                      stub clears it and raises
 *   +64  frames[]      up to MAX_TRAP_FRAMES return addresses, walked from trapFp (innermost first)
 *
 * Its absolute address is embedded (imm64) in every trampoline and in raise, so there is exactly one per process.
 * Limitation: worker threads would share it (and each has its own koffi stack), so kindling runs wasm on the main
 * thread only for now; per-thread records need a thread-local lookup in the trampolines.
 */
import { allocateNative, nativeView } from '../../native/index.js';

export const ACT_ENTRY_SP = 0;
export const ACT_TRAP_PC = 8;
export const ACT_TRAP_FP = 16;
export const ACT_TRAP_ENTRY_SP = 24;
export const ACT_FRAME_COUNT = 32;
export const ACT_TRAPPED = 40;
export const ACT_DIRECT_CALLEE = 48;
export const ACT_HOST_FAILED = 56;
export const ACT_FRAMES = 64;
/** Return addresses raise records; deeper stacks keep the innermost ones. */
export const MAX_TRAP_FRAMES = 64;
const ACTIVATION_SIZE = ACT_FRAMES + MAX_TRAP_FRAMES * 8;

/** Bytes the entry trampoline keeps between its frame pointer and entrySp: 5 callee-saved GPRs + previous entrySp. */
export const ENTRY_FRAME_SAVED_BYTES = 48;

const TWO_POW_32 = 4294967296;

export interface TrapSnapshot {
  /** Trap-site return address. */
  readonly pc: number;
  readonly fp: number;
  /** Return addresses of the frames above the trapping one, innermost first. */
  readonly frames: readonly number[];
}

class ActivationRecord {
  readonly address: bigint;
  readonly addressNumber: number;
  private readonly view: DataView;
  /** The `trapped` flag as an Int32Array element ([0]), for the call paths' one-load check. */
  readonly trapped: Int32Array;
  /** The `directCallee` cell as a Float64Array element ([0]). */
  readonly directCallee: Float64Array;
  /** The `hostFailed` flag ([0]). */
  readonly hostFailed: Int32Array;

  constructor() {
    this.address = allocateNative(ACTIVATION_SIZE, 64);
    this.addressNumber = Number(this.address);
    const buffer = nativeView(this.address, ACTIVATION_SIZE);
    this.view = new DataView(buffer);
    this.trapped = new Int32Array(buffer, ACT_TRAPPED, 1);
    this.directCallee = new Float64Array(buffer, ACT_DIRECT_CALLEE, 1);
    this.hostFailed = new Int32Array(buffer, ACT_HOST_FAILED, 1);
  }

  private u64(offset: number): number {
    return this.view.getUint32(offset, true) + this.view.getUint32(offset + 4, true) * TWO_POW_32;
  }

  /** The innermost entry trampoline's saved rsp; 0 when no wasm activation is live. */
  get entrySp(): number {
    return this.u64(ACT_ENTRY_SP);
  }

  /** Reads what the raise routine recorded for the trap that just unwound. */
  snapshot(): TrapSnapshot {
    const count = Math.min(this.u64(ACT_FRAME_COUNT), MAX_TRAP_FRAMES);
    const frames: number[] = [];
    for (let i = 0; i < count; i++) frames.push(this.u64(ACT_FRAMES + i * 8));
    return { pc: this.u64(ACT_TRAP_PC), fp: this.u64(ACT_TRAP_FP), frames };
  }
}

let record: ActivationRecord | null = null;

/** The process's activation record (allocated on first use). */
export function activation(): ActivationRecord {
  record ??= new ActivationRecord();
  return record;
}

export type { ActivationRecord };
