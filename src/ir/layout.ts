/**
 * Layout: the order of blocks in a function and of instructions in each block, as doubly linked lists over
 * integer ids (so insert, remove and move are O(1)). The entry block is the first block.
 *
 * A block or instruction that is not inserted here is not part of the function (the DataFlowGraph may still
 * hold it). Iterate like this:
 *
 *   for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b))
 *     for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) ...
 */
import { grownCapacity, i32Column, u8Column } from './grow.js';
import { NONE, type Block, type Inst } from './ids.js';

const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);

export class Layout {
  private head: Block = NONE;
  private tail: Block = NONE;
  // Columns start as shared empty arrays and grow by doubling; the block columns share one ArrayBuffer, and so do
  // the instruction columns (one allocation per growth, not one per column).
  private bPrev: Int32Array = EMPTY_I32;
  private bNext: Int32Array = EMPTY_I32;
  private bFirst: Int32Array = EMPTY_I32;
  private bLast: Int32Array = EMPTY_I32;
  private bInserted: Uint8Array = EMPTY_U8;
  private bCap = 0; // ids below this have initialised block columns

  private iPrev: Int32Array = EMPTY_I32;
  private iNext: Int32Array = EMPTY_I32;
  private iBlock: Int32Array = EMPTY_I32;
  private iCap = 0; // ids below this have initialised instruction columns

  /** Makes room for `insts` instructions and `blocks` blocks without further growth. */
  reserve(insts: number, blocks: number): void {
    if (insts > this.iPrev.length) this.growInsts(insts);
    if (blocks > this.bPrev.length) this.growBlocks(blocks);
  }

  private growBlocks(min: number): void {
    const cap = grownCapacity(this.bPrev.length, min, 16);
    const buffer = new ArrayBuffer(cap * (4 * 4 + 1));
    this.bPrev = i32Column(buffer, 0, cap, this.bPrev);
    this.bNext = i32Column(buffer, cap * 4, cap, this.bNext);
    this.bFirst = i32Column(buffer, cap * 8, cap, this.bFirst);
    this.bLast = i32Column(buffer, cap * 12, cap, this.bLast);
    this.bInserted = u8Column(buffer, cap * 16, cap, this.bInserted);
  }

  private growInsts(min: number): void {
    const cap = grownCapacity(this.iPrev.length, min, 64);
    const buffer = new ArrayBuffer(cap * 3 * 4);
    this.iPrev = i32Column(buffer, 0, cap, this.iPrev);
    this.iNext = i32Column(buffer, cap * 4, cap, this.iNext);
    this.iBlock = i32Column(buffer, cap * 8, cap, this.iBlock);
  }

  /** Forgets all blocks and instructions, keeping the allocated columns. */
  clear(): void {
    this.head = NONE;
    this.tail = NONE;
    this.bCap = 0;
    this.iCap = 0;
  }

  private touchBlock(b: Block): void {
    if (b < this.bCap) return;
    if (b >= this.bPrev.length) this.growBlocks(b + 1);
    for (let i = this.bCap; i <= b; i++) {
      this.bPrev[i] = NONE;
      this.bNext[i] = NONE;
      this.bFirst[i] = NONE;
      this.bLast[i] = NONE;
      this.bInserted[i] = 0;
    }
    this.bCap = b + 1;
  }

  private touchInst(inst: Inst): void {
    if (inst < this.iCap) return;
    if (inst >= this.iPrev.length) this.growInsts(inst + 1);
    for (let i = this.iCap; i <= inst; i++) {
      this.iPrev[i] = NONE;
      this.iNext[i] = NONE;
      this.iBlock[i] = NONE;
    }
    this.iCap = inst + 1;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Blocks
  // ---------------------------------------------------------------------------------------------------------

  /** The first block: the entry block (NONE when the function is empty). */
  get firstBlock(): Block {
    return this.head;
  }

  get lastBlock(): Block {
    return this.tail;
  }

  /** The entry block (same as firstBlock). */
  get entryBlock(): Block {
    return this.head;
  }

  nextBlock(b: Block): Block {
    return this.bNext[b]!;
  }

  prevBlock(b: Block): Block {
    return this.bPrev[b]!;
  }

  isBlockInserted(b: Block): boolean {
    return b < this.bCap && this.bInserted[b] === 1;
  }

  /** Appends a block at the end of the function. */
  appendBlock(b: Block): void {
    this.touchBlock(b);
    this.checkBlockFree(b);
    this.bInserted[b] = 1;
    this.bPrev[b] = this.tail;
    this.bNext[b] = NONE;
    if (this.tail === NONE) this.head = b;
    else this.bNext[this.tail] = b;
    this.tail = b;
  }

  /** Inserts block `b` just before block `before` (which must be inserted). */
  insertBlockBefore(b: Block, before: Block): void {
    this.touchBlock(b);
    this.checkBlockFree(b);
    this.checkBlockInserted(before, 'insertBlockBefore');
    const prev = this.bPrev[before]!;
    this.bInserted[b] = 1;
    this.bPrev[b] = prev;
    this.bNext[b] = before;
    this.bPrev[before] = b;
    if (prev === NONE) this.head = b;
    else this.bNext[prev] = b;
  }

  /** Inserts block `b` just after block `after` (which must be inserted). */
  insertBlockAfter(b: Block, after: Block): void {
    this.touchBlock(b);
    this.checkBlockFree(b);
    this.checkBlockInserted(after, 'insertBlockAfter');
    const next = this.bNext[after]!;
    this.bInserted[b] = 1;
    this.bPrev[b] = after;
    this.bNext[b] = next;
    this.bNext[after] = b;
    if (next === NONE) this.tail = b;
    else this.bPrev[next] = b;
  }

  /**
   * Takes block `b` out of the block order. Its instructions stay attached to it (and out of the function);
   * branches that still target it make the function invalid, so retarget them first.
   */
  removeBlock(b: Block): void {
    this.checkBlockInserted(b, 'removeBlock');
    const prev = this.bPrev[b]!;
    const next = this.bNext[b]!;
    if (prev === NONE) this.head = next;
    else this.bNext[prev] = next;
    if (next === NONE) this.tail = prev;
    else this.bPrev[next] = prev;
    this.bPrev[b] = NONE;
    this.bNext[b] = NONE;
    this.bInserted[b] = 0;
  }

  /** Moves an inserted block to just after `after`. */
  moveBlockAfter(b: Block, after: Block): void {
    this.removeBlock(b);
    this.insertBlockAfter(b, after);
  }

  private checkBlockFree(b: Block): void {
    if (this.bInserted[b] === 1) throw new Error(`Layout: block${b} is already inserted`);
  }

  private checkBlockInserted(b: Block, what: string): void {
    if (!this.isBlockInserted(b)) throw new Error(`Layout.${what}: block${b} is not in the layout`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Instructions
  // ---------------------------------------------------------------------------------------------------------

  firstInst(b: Block): Inst {
    return b < this.bCap ? this.bFirst[b]! : NONE;
  }

  /** The last instruction of a block (its terminator in a finished function), or NONE. */
  lastInst(b: Block): Inst {
    return b < this.bCap ? this.bLast[b]! : NONE;
  }

  nextInst(inst: Inst): Inst {
    return this.iNext[inst]!;
  }

  prevInst(inst: Inst): Inst {
    return this.iPrev[inst]!;
  }

  /** The block holding `inst`, or NONE when it is not inserted. */
  instBlock(inst: Inst): Block {
    return inst < this.iCap ? this.iBlock[inst]! : NONE;
  }

  isInstInserted(inst: Inst): boolean {
    return inst < this.iCap && this.iBlock[inst] !== NONE;
  }

  /** Appends `inst` at the end of block `b` (the block need not be in the block order yet). */
  appendInst(inst: Inst, b: Block): void {
    this.touchInst(inst);
    this.touchBlock(b);
    this.checkInstFree(inst);
    const last = this.bLast[b]!;
    this.iBlock[inst] = b;
    this.iPrev[inst] = last;
    this.iNext[inst] = NONE;
    if (last === NONE) this.bFirst[b] = inst;
    else this.iNext[last] = inst;
    this.bLast[b] = inst;
  }

  /** Inserts `inst` at the start of block `b`. */
  prependInst(inst: Inst, b: Block): void {
    this.touchBlock(b);
    const first = this.bFirst[b]!;
    if (first === NONE) this.appendInst(inst, b);
    else this.insertInstBefore(inst, first);
  }

  /** Inserts `inst` just before `before` (which must be inserted), in the same block. */
  insertInstBefore(inst: Inst, before: Inst): void {
    this.touchInst(inst);
    this.checkInstFree(inst);
    const b = this.instBlock(before);
    if (b === NONE) throw new Error(`Layout.insertInstBefore: inst${before} is not in the layout`);
    const prev = this.iPrev[before]!;
    this.iBlock[inst] = b;
    this.iPrev[inst] = prev;
    this.iNext[inst] = before;
    this.iPrev[before] = inst;
    if (prev === NONE) this.bFirst[b] = inst;
    else this.iNext[prev] = inst;
  }

  /** Inserts `inst` just after `after` (which must be inserted), in the same block. */
  insertInstAfter(inst: Inst, after: Inst): void {
    this.touchInst(inst);
    this.checkInstFree(inst);
    const b = this.instBlock(after);
    if (b === NONE) throw new Error(`Layout.insertInstAfter: inst${after} is not in the layout`);
    const next = this.iNext[after]!;
    this.iBlock[inst] = b;
    this.iPrev[inst] = after;
    this.iNext[inst] = next;
    this.iNext[after] = inst;
    if (next === NONE) this.bLast[b] = inst;
    else this.iPrev[next] = inst;
  }

  /** Takes `inst` out of its block. Its DFG data stays; it can be inserted again elsewhere (see moveInstBefore). */
  removeInst(inst: Inst): void {
    const b = this.instBlock(inst);
    if (b === NONE) throw new Error(`Layout.removeInst: inst${inst} is not in the layout`);
    const prev = this.iPrev[inst]!;
    const next = this.iNext[inst]!;
    if (prev === NONE) this.bFirst[b] = next;
    else this.iNext[prev] = next;
    if (next === NONE) this.bLast[b] = prev;
    else this.iPrev[next] = prev;
    this.iPrev[inst] = NONE;
    this.iNext[inst] = NONE;
    this.iBlock[inst] = NONE;
  }

  /** Moves `inst` (from anywhere) to just before `before` (e.g. hoisting into a loop preheader, before its jump). */
  moveInstBefore(inst: Inst, before: Inst): void {
    this.removeInst(inst);
    this.insertInstBefore(inst, before);
  }

  /** Moves `inst` to the end of block `b`. */
  moveInstToEnd(inst: Inst, b: Block): void {
    this.removeInst(inst);
    this.appendInst(inst, b);
  }

  /**
   * Splits a block before `inst`: `inst` and everything after it move to `newBlock`, which is inserted in the
   * block order just after the old block. The old block is left without a terminator: append a jump.
   */
  splitBlock(newBlock: Block, inst: Inst): void {
    const old = this.instBlock(inst);
    if (old === NONE) throw new Error(`Layout.splitBlock: inst${inst} is not in the layout`);
    this.touchBlock(newBlock);
    if (this.bFirst[newBlock] !== NONE) throw new Error(`Layout.splitBlock: block${newBlock} is not empty`);
    if (this.isBlockInserted(old)) this.insertBlockAfter(newBlock, old);
    const prev = this.iPrev[inst]!;
    this.bFirst[newBlock] = inst;
    this.bLast[newBlock] = this.bLast[old]!;
    if (prev === NONE) this.bFirst[old] = NONE;
    else this.iNext[prev] = NONE;
    this.bLast[old] = prev;
    this.iPrev[inst] = NONE;
    for (let i = inst; i !== NONE; i = this.iNext[i]!) this.iBlock[i] = newBlock;
  }

  /** True when `a` comes before `b` in the same block (walks forward from `a`: O(distance)). */
  precedes(a: Inst, b: Inst): boolean {
    for (let i = this.iNext[a]!; i !== NONE; i = this.iNext[i]!) if (i === b) return true;
    return false;
  }

  /** Number of instructions in block `b` (walks the block). */
  blockLength(b: Block): number {
    let n = 0;
    for (let i = this.firstInst(b); i !== NONE; i = this.iNext[i]!) n++;
    return n;
  }

  private checkInstFree(inst: Inst): void {
    if (this.iBlock[inst] !== NONE) throw new Error(`Layout: inst${inst} is already in block${this.iBlock[inst]}`);
  }
}
