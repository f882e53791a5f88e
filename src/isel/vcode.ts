// VCode: a function as x86-64 machine instructions on virtual registers, in emission order, with the CFG the register
// allocator needs. It implements the allocator's input contract (`RegAllocFunction`, regalloc-types.ts) directly:
// instructions, operands, blocks and edges are the same typed arrays the allocator reads, so nothing is converted.
//
// Block 0 is the entry; blocks tile the instruction range in order; critical edges are split (an edge-split block
// holds only a `Jmp`); loops are contiguous and cold blocks come last (block-order.ts).

import { type IrFunction } from '../ir/index.js';
import { type InstStore } from './inst-store.js';
import { type RegAllocFunction } from './regalloc-types.js';

/** Trap sites referenced by instructions (TrapIf, Trap, checked sequences): one per (instruction, trap code). */
export interface TrapSiteList {
  readonly count: number;
  readonly code: Int32Array;
  /** Wasm byte offset of the IR instruction (its source location), -1 when unknown. */
  readonly srcLoc: Int32Array;
  /** Fuel pending at the site (not yet added to the counter); the raise routine adds it (see README). */
  readonly fuel: Int32Array;
}

export class VCode implements RegAllocFunction {
  constructor(
    readonly func: IrFunction,
    readonly insts: InstStore,
    readonly numBlocks: number,
    readonly numVRegs: number,
    readonly vregClass: Uint8Array,
    readonly blockInstStart: Int32Array,
    readonly blockInstEnd: Int32Array,
    readonly succStart: Int32Array,
    readonly succs: Int32Array,
    readonly predStart: Int32Array,
    readonly preds: Int32Array,
    readonly blockParamStart: Int32Array,
    readonly blockParams: Int32Array,
    readonly branchArgStart: Int32Array,
    readonly branchArgs: Int32Array,
    readonly rematInst: Int32Array,
    /** IR block each block came from, or -1 for edge-split and pre-entry blocks. */
    readonly blockIrBlock: Int32Array,
    /** 1 for blocks that run rarely (the IR's cold trap and out-of-fuel paths, and edges into or out of them). */
    readonly blockCold: Uint8Array,
    /** Constant table for AmKind.Const operands: 5 ints per entry (width, w0, w1, w2, w3). */
    readonly consts: Int32Array,
    readonly trapSites: TrapSiteList,
    /** For jump table t: the block whose JmpTable terminator owns it (its successors are the targets). */
    readonly jumpTableBlock: Int32Array,
    /** Bytes of outgoing stack arguments and of return area the largest call needs. */
    readonly outgoingArgBytes: number,
    readonly returnAreaBytes: number,
    readonly hasCalls: boolean,
    /** Number of IR instructions lowered (for throughput figures). */
    readonly numIrInsts: number,
  ) {
    this.numInsts = insts.count;
    this.operandStart = insts.opStart.subarray(0, insts.count + 1);
    this.operands = insts.operands.subarray(0, insts.numOperands);
    this.clobbers = insts.clobbers.subarray(0, insts.count);
    this.instFlags = insts.flags.subarray(0, insts.count);
  }

  readonly numInsts: number;
  // Views of the instruction store trimmed to their exact lengths (plain fields: the allocator reads them in loops).
  readonly operandStart: Int32Array;
  readonly operands: Int32Array;
  readonly clobbers: Int32Array;
  readonly instFlags: Uint8Array;
}
