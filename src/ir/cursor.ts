/**
 * FuncCursor: an insertion point in a function, for passes that add instructions (`cur.ins.iadd(...)`).
 *
 * The position is "before instruction X" or "at the end of block B". Building inserts at the position and
 * leaves the cursor after the new instruction, so consecutive builds come out in order.
 */
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst } from './ids.js';
import { InstBuilder, type InstSink } from './inst-builder.js';

export class FuncCursor implements InstSink {
  /** The block of the position (NONE = no position). */
  block: Block = NONE;
  /** Insert before this instruction; NONE = append at the end of `block`. */
  before: Inst = NONE;
  /** Source location given to built instructions (-1 = none). */
  srcLoc = -1;
  /** Builds instructions at the cursor. */
  readonly ins: InstBuilder;

  constructor(readonly func: IrFunction) {
    this.ins = new InstBuilder(func.dfg, this);
  }

  /** Position at the end of `block` (after its terminator, if any: use gotoBeforeTerminator to stay valid). */
  gotoBlockEnd(block: Block): this {
    this.block = block;
    this.before = NONE;
    return this;
  }

  /** Position at the start of `block`. */
  gotoBlockStart(block: Block): this {
    this.block = block;
    this.before = this.func.layout.firstInst(block);
    return this;
  }

  /** Position before `inst`. */
  gotoBefore(inst: Inst): this {
    this.block = this.func.layout.instBlock(inst);
    if (this.block === NONE) throw new Error(`FuncCursor.gotoBefore: inst${inst} is not in the layout`);
    this.before = inst;
    return this;
  }

  /** Position after `inst`. */
  gotoAfter(inst: Inst): this {
    this.block = this.func.layout.instBlock(inst);
    if (this.block === NONE) throw new Error(`FuncCursor.gotoAfter: inst${inst} is not in the layout`);
    this.before = this.func.layout.nextInst(inst);
    return this;
  }

  /** Position before the last instruction of `block` (its terminator). */
  gotoBeforeTerminator(block: Block): this {
    const last = this.func.layout.lastInst(block);
    return last === NONE ? this.gotoBlockEnd(block) : this.gotoBefore(last);
  }

  /** Inserts an existing (unplaced) instruction at the position. */
  insertInst(inst: Inst): void {
    if (this.block === NONE) throw new Error('FuncCursor: no position set');
    if (this.before === NONE) this.func.layout.appendInst(inst, this.block);
    else this.func.layout.insertInstBefore(inst, this.before);
  }

  /** @internal InstSink */
  insertBuilt(inst: Inst): void {
    if (this.srcLoc >= 0) this.func.dfg.setSrcLoc(inst, this.srcLoc);
    this.insertInst(inst);
  }
}
