// The contract between instruction selection (which produces machine instructions on virtual registers, "VCode")
// and the register allocator. Shaped after regalloc2's `Function` trait and `Output` (Cranelift's allocator): the
// allocator sees only blocks, instruction ranges, operands with constraints, clobbers and block-parameter edges; it
// knows nothing about x64 instructions. Its output assigns a location to every operand and lists the moves to insert.
//
// Everything is integer-coded so the allocator's inner loops touch typed arrays only.

// ---- Physical registers -------------------------------------------------------------------------------------------
// PReg numbering: 0..15 are the GPRs by hardware encoding (rax=0 … r15=15), 16..31 are XMM0..XMM15.
export const NUM_PREGS = 32;
export const PREG_XMM_BASE = 16;

export const enum RegClass {
  Int = 0,
  Float = 1,
}

export function pregClass(preg: number): RegClass {
  return preg >= PREG_XMM_BASE ? RegClass.Float : RegClass.Int;
}

/** A set of physical registers as a 32-bit mask: bit p set ⇔ preg p in the set. */
export type PRegSet = number;

export function pregSetHas(set: PRegSet, preg: number): boolean {
  return ((set >>> preg) & 1) !== 0;
}

/** Registers the allocator may hand out, in order of preference, per class, plus reserved scratch registers. */
export interface MachineEnv {
  /** Allocatable registers per class, caller-saved ones first (cheaper: no prologue save). */
  readonly allocatable: readonly [Int32Array, Int32Array];
  /** Callee-saved registers (System V: rbx, r12–r15); used ones are saved by the prologue. */
  readonly calleeSaved: PRegSet;
  /**
   * One scratch register per class that the allocator never assigns: it breaks cycles in parallel moves and carries
   * stack-to-stack moves. Emission sequences that need a temporary may use it too (never across an instruction).
   * x64: r11 and xmm15.
   */
  readonly scratch: readonly [number, number];
}

// ---- Operands -----------------------------------------------------------------------------------------------------
// An operand is packed into one int32:
//   bits  0..19  vreg index (up to 1M vregs per function)
//   bits 20..21  kind: 0 = use, 1 = def
//   bit  22      position: 0 = early (read/written before the instruction's effect), 1 = late (after)
//   bits 23..25  constraint kind (OperandConstraint)
//   bits 26..30  constraint payload: the fixed preg (0..31), or the index of the reused use-operand (0..31)
// Defaults that match what most instructions want: uses are early, defs are late, so a def may share a register with
// a use that dies at the same instruction. Use an *early def* for a temporary that must not overlap any input.

export const enum OperandKind {
  Use = 0,
  Def = 1,
}

export const enum OperandPos {
  Early = 0,
  Late = 1,
}

export const enum OperandConstraint {
  /** Register or stack slot: the instruction can take a memory operand here. */
  Any = 0,
  /** Any register of the vreg's class. */
  Reg = 1,
  /** Exactly the physical register in the payload (e.g. rax/rdx for div, rcx for shift counts, ABI registers). */
  FixedReg = 2,
  /** (defs only) The same register as the use operand whose index within this instruction is in the payload:
   * x64's two-address forms (`add dst, src` where dst is also the first source). */
  Reuse = 3,
  /** A stack slot. */
  Stack = 4,
}

export function makeOperand(
  vreg: number,
  kind: OperandKind,
  pos: OperandPos,
  constraint: OperandConstraint,
  payload = 0,
): number {
  return (vreg & 0xfffff) | (kind << 20) | (pos << 22) | (constraint << 23) | ((payload & 31) << 26);
}

export const useReg = (v: number): number => makeOperand(v, OperandKind.Use, OperandPos.Early, OperandConstraint.Reg);
export const useAny = (v: number): number => makeOperand(v, OperandKind.Use, OperandPos.Early, OperandConstraint.Any);
export const useFixed = (v: number, preg: number): number =>
  makeOperand(v, OperandKind.Use, OperandPos.Early, OperandConstraint.FixedReg, preg);
/** A use that must stay live in its register until after the instruction's defs are written. */
export const useLateReg = (v: number): number =>
  makeOperand(v, OperandKind.Use, OperandPos.Late, OperandConstraint.Reg);
export const defReg = (v: number): number => makeOperand(v, OperandKind.Def, OperandPos.Late, OperandConstraint.Reg);
export const defFixed = (v: number, preg: number): number =>
  makeOperand(v, OperandKind.Def, OperandPos.Late, OperandConstraint.FixedReg, preg);
export const defReuse = (v: number, useIndex: number): number =>
  makeOperand(v, OperandKind.Def, OperandPos.Late, OperandConstraint.Reuse, useIndex);
/** A def (typically a temporary) that may not share a register with any use of the same instruction. */
export const defEarlyReg = (v: number): number =>
  makeOperand(v, OperandKind.Def, OperandPos.Early, OperandConstraint.Reg);

export const operandVReg = (op: number): number => op & 0xfffff;
export const operandKind = (op: number): OperandKind => (op >>> 20) & 3;
export const operandPos = (op: number): OperandPos => (op >>> 22) & 1;
export const operandConstraint = (op: number): OperandConstraint => (op >>> 23) & 7;
export const operandPayload = (op: number): number => (op >>> 26) & 31;

// ---- The allocator's view of a function -----------------------------------------------------------------------------
/**
 * Read-only view of a function in machine instructions on virtual registers. Instructions are numbered 0..numInsts-1
 * in emission order; each block owns a contiguous range of them and ends with a branch or return instruction.
 * Block 0 is the entry. The function is in SSA form over vregs: each vreg has exactly one def (an operand or a block
 * parameter); the entry block's parameters are defined by the function's incoming arguments (with fixed-register
 * constraints expressed by a pseudo-instruction at the start of the entry block, not by block params).
 *
 * Critical edges must already be split by the producer: if a block has several successors, each successor has only
 * that one predecessor, so the allocator can put edge moves at the start of the successor; if a block has one
 * successor with several predecessors, edge moves go just before the block's final branch.
 */
export interface RegAllocFunction {
  readonly numInsts: number;
  readonly numBlocks: number;
  readonly numVRegs: number;
  /** Register class of each vreg. */
  readonly vregClass: Uint8Array;

  /** First instruction of each block, and one past its last. */
  readonly blockInstStart: Int32Array;
  readonly blockInstEnd: Int32Array;
  /**
   * Optional: 1 for blocks that run rarely (out-of-line trap and out-of-fuel paths). They count as outside every
   * loop, and their edges back into hot code do not make loops, so spill and reload costs are not charged as if they
   * ran on every iteration.
   */
  readonly blockCold?: Uint8Array;
  /** Successors/predecessors of block b: `succs.subarray(succStart[b], succStart[b+1])` (length numBlocks+1). */
  readonly succStart: Int32Array;
  readonly succs: Int32Array;
  readonly predStart: Int32Array;
  readonly preds: Int32Array;
  /** Block parameters (vregs) of block b: `blockParams.subarray(blockParamStart[b], blockParamStart[b+1])`. */
  readonly blockParamStart: Int32Array;
  readonly blockParams: Int32Array;
  /**
   * Arguments the last instruction of block b passes to its i-th successor's parameters:
   * `branchArgs.subarray(branchArgStart[e], branchArgStart[e+1])` where e = succStart[b] + i.
   */
  readonly branchArgStart: Int32Array;
  readonly branchArgs: Int32Array;

  /** Operands of instruction i: `operands.subarray(operandStart[i], operandStart[i+1])` (length numInsts+1). */
  readonly operandStart: Int32Array;
  readonly operands: Int32Array;
  /** Physical registers instruction i overwrites beyond its defs (calls: all caller-saved registers). */
  readonly clobbers: Int32Array;
  /** Bit 0: is a return; bit 1: is a branch (the block terminator); bit 2: is a call (a safepoint for future use). */
  readonly instFlags: Uint8Array;
  /**
   * Rematerialisation: for each vreg, the instruction that defines it if re-executing that instruction is cheaper
   * than a reload (a constant: `mov r, imm` / `xor r, r` / a constant-pool load; it has no uses, no clobbers and no
   * flags effect the surrounding code relies on), else -1. The allocator may then, instead of spilling such a vreg,
   * emit a remat edit that re-runs the instruction with a new destination register. Edits may land between a
   * flag-setting instruction and its consumer, so every edit's emitted code must leave the flags alone: moves are
   * `mov`/`movsd`, and a remat of zero is emitted as `mov r, 0`, never `xor r, r`.
   */
  readonly rematInst: Int32Array;
}

export const INST_IS_RET = 1;
export const INST_IS_BRANCH = 2;
export const INST_IS_CALL = 4;

// ---- The allocator's answer -----------------------------------------------------------------------------------------
// An allocation is packed into one int32: 0 = none; (1 << 30) | preg for a register; (2 << 30) | slot for a spill slot.
// Spill slots are 8 bytes (16 for a v128 later), numbered from 0; the frame layout turns them into rbp/rsp offsets.

export const ALLOC_NONE = 0;
const ALLOC_REG_TAG = 1 << 30;
const ALLOC_STACK_TAG = 2 << 30; // negative as int32; compare with >>> 30.

export const allocReg = (preg: number): number => ALLOC_REG_TAG | preg;
export const allocStack = (slot: number): number => ALLOC_STACK_TAG | slot;
export const allocIsReg = (a: number): boolean => a >>> 30 === 1;
export const allocIsStack = (a: number): boolean => a >>> 30 === 2;
export const allocIndex = (a: number): number => a & 0x3fffffff;

/**
 * A program point: before or after instruction i. Encoded as i * 2 (before) or i * 2 + 1 (after).
 * Moves "before i" happen after any moves "after i-1".
 */
export const pointBefore = (inst: number): number => inst * 2;
export const pointAfter = (inst: number): number => inst * 2 + 1;

export const EDIT_MOVE = 0;
export const EDIT_REMAT = 1;

export interface RegAllocOutput {
  /** Allocation of every operand, parallel to `RegAllocFunction.operands`. */
  readonly allocs: Int32Array;
  /**
   * Moves to insert, sorted by program point; moves at one point are sequential (already resolved from the parallel
   * form, cycles broken through the scratch register). `editFrom`/`editTo` are allocations (register or spill slot);
   * a stack-to-stack move is split by the allocator into two moves through the scratch register. `editClass` says
   * whether it moves an int (64-bit) or float (128-bit register / 64-bit slot) value.
   */
  readonly numEdits: number;
  readonly editPoint: Int32Array;
  readonly editFrom: Int32Array;
  readonly editTo: Int32Array;
  readonly editClass: Uint8Array;
  /** EDIT_MOVE, or EDIT_REMAT: re-emit instruction `editFrom` (a `rematInst`) with its def placed in `editTo`. */
  readonly editKind: Uint8Array;
  readonly numSpillSlots: number;
  /** Callee-saved registers the allocation used (the prologue saves exactly these). */
  readonly usedCalleeSaved: PRegSet;
}
