/**
 * Structured control flow → IR blocks (after cranelift-wasm's translation of control operators).
 *
 * One frame per open block/loop/if (frame 0: the function body). A frame remembers the operand-stack height below
 * its parameters and the IR blocks it needs:
 *
 * - `loop`: its header (created at `loop`, sealed at `end` once every back edge exists); branches to the loop go
 *   there with the loop's parameters. Nothing can branch to the end of a loop, so code after `end` simply continues
 *   in the block the body ended in.
 * - `block`, `if`, the function: the merge block after `end` (with the frame's results as block parameters) is
 *   created only when the first branch to it is built. A block nobody branches to needs no merge block either: its
 *   code runs straight on past `end` (and so does its fuel run).
 * - `if`: the then-block and else-block are created at `if`; without an `else`, the else-block passes the `if`'s
 *   parameters on to the merge block. The parameter values were defined before the `if`, so both arms see them
 *   directly (saved in `saved`, since the then-arm consumes them from the operand stack).
 *
 * After `br`, `br_table`, `return` and `unreachable` the rest of the frame is dead: the translator skips operators
 * there, tracking only the nesting (frames opened in dead code get no blocks).
 */
import { NONE, TrapCode, type Block } from '../ir/index.js';
import { emitEpochCheck } from './epoch.js';
import { irType } from './translate-env.js';
import type { FunctionTranslator } from './translate.js';

export const enum FrameKind {
  Block = 0,
  Loop = 1,
  If = 2,
  Else = 3,
  Function = 4,
}

const EMPTY_TYPES = new Uint8Array(0);

export class ControlStack {
  /** Number of open frames. */
  depth = 0;
  private kind = new Uint8Array(16);
  /** Operand-stack height below the frame's parameters. */
  private height = new Int32Array(16);
  private nParams = new Int32Array(16);
  private nResults = new Int32Array(16);
  /** Result types (ValType) per frame: the merge block's parameters. */
  private resultTypes: Uint8Array[] = [];
  /** Loop: its header block. */
  private header = new Int32Array(16);
  /** Merge block after `end`, NONE until a branch needs it. */
  private next = new Int32Array(16);
  /** If: the block for the else arm. */
  private elseBlock = new Int32Array(16);
  /** 1 when the frame's start was reachable (frames opened in dead code get no blocks). */
  private live = new Uint8Array(16);
  /** If/else: index in `saved` of the `if`'s parameter values. */
  private savedStart = new Int32Array(16);
  /** br_table in the memory fuel strategy: per loop frame, the edge block of the current br_table. */
  private edgeStamp = new Int32Array(16);
  private edgeBlock = new Int32Array(16);
  private stamp = 0;
  private readonly pendingEdges: number[] = [];
  private readonly tableBlocks: Block[] = [];

  private saved = new Int32Array(16);
  private savedTop = 0;

  constructor(private readonly t: FunctionTranslator) {}

  /** Opens the function body's frame. */
  begin(results: Uint8Array): void {
    this.depth = 0;
    this.savedTop = 0;
    this.pushFrame(FrameKind.Function, 0, 0, results, true);
  }

  private pushFrame(kind: FrameKind, height: number, nParams: number, results: Uint8Array, live: boolean): number {
    const f = this.depth;
    if (f === this.kind.length) this.grow();
    this.kind[f] = kind;
    this.height[f] = height;
    this.nParams[f] = nParams;
    this.nResults[f] = results.length;
    this.resultTypes[f] = results;
    this.header[f] = NONE;
    this.next[f] = NONE;
    this.elseBlock[f] = NONE;
    this.live[f] = live ? 1 : 0;
    this.savedStart[f] = this.savedTop;
    this.edgeStamp[f] = 0;
    this.depth = f + 1;
    return f;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.kind = u8(this.kind);
    this.live = u8(this.live);
    this.height = i32(this.height);
    this.nParams = i32(this.nParams);
    this.nResults = i32(this.nResults);
    this.header = i32(this.header);
    this.next = i32(this.next);
    this.elseBlock = i32(this.elseBlock);
    this.savedStart = i32(this.savedStart);
    this.edgeStamp = i32(this.edgeStamp);
    this.edgeBlock = i32(this.edgeBlock);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Opening frames
  // ---------------------------------------------------------------------------------------------------------

  block(blockType: number): void {
    const m = this.t.module;
    const nParams = m.blockParams(blockType).length;
    this.pushFrame(FrameKind.Block, this.t.sp - nParams, nParams, m.blockResults(blockType), true);
  }

  loop(blockType: number): void {
    const t = this.t;
    const { fb } = t;
    const params = t.module.blockParams(blockType);
    const n = params.length;
    const header = fb.createBlock();
    for (let i = 0; i < n; i++) fb.appendBlockParam(header, irType(params[i]));
    // Code before the loop is counted once: flush before entering (and, in the memory strategy, check here).
    const flushed = t.fuel.flush();
    t.fuel.jumpToLoop(header, t.sp - n, n, flushed);
    t.sp -= n;
    for (let i = 0; i < n; i++) t.push(fb.blockParam(header, i));
    fb.switchToBlock(header);
    t.forgetVars(); // back edges bring other values
    const f = this.pushFrame(FrameKind.Loop, t.sp - n, n, t.module.blockResults(blockType), true);
    this.header[f] = header;
    t.fuel.loopHeader(header);
    if (t.epoch) emitEpochCheck(t);
  }

  if_(blockType: number): void {
    const t = this.t;
    const { fb, ins } = t;
    const cond = t.pop();
    const m = t.module;
    const n = m.blockParams(blockType).length;
    t.fuel.flush();
    const thenBlock = fb.createBlock();
    const elseBlock = fb.createBlock();
    ins.brif(cond, thenBlock, [], elseBlock, []);
    fb.sealBlock(thenBlock);
    fb.sealBlock(elseBlock);
    const f = this.pushFrame(FrameKind.If, t.sp - n, n, m.blockResults(blockType), true);
    this.elseBlock[f] = elseBlock;
    this.save(t.sp - n, n);
    fb.switchToBlock(thenBlock);
  }

  /** block / loop / if in dead code: track the nesting only. */
  openDead(kind: FrameKind): void {
    this.pushFrame(kind, this.t.sp, 0, EMPTY_TYPES, false);
  }

  private save(start: number, n: number): void {
    if (this.savedTop + n > this.saved.length) {
      const grown = new Int32Array(Math.max(this.saved.length * 2, this.savedTop + n));
      grown.set(this.saved);
      this.saved = grown;
    }
    const stack = this.t.stack;
    for (let i = 0; i < n; i++) this.saved[this.savedTop + i] = stack[start + i];
    this.savedTop += n;
  }

  // ---------------------------------------------------------------------------------------------------------
  // else / end
  // ---------------------------------------------------------------------------------------------------------

  else_(): void {
    const t = this.t;
    const f = this.depth - 1;
    if (this.live[f] === 1) {
      if (t.reachable) {
        t.fuel.flush();
        this.jumpToNext(f);
      }
      t.sp = this.height[f];
      const start = this.savedStart[f];
      for (let i = 0; i < this.nParams[f]; i++) t.push(this.saved[start + i]);
      t.fb.switchToBlock(this.elseBlock[f]);
      t.forgetVars(); // what the then-arm set does not hold here
      t.reachable = true;
    }
    this.kind[f] = FrameKind.Else;
  }

  /** `end`: closes the innermost frame; returns true when it closed the function body. */
  end(): boolean {
    const t = this.t;
    const f = this.depth - 1;
    const kind = this.kind[f];
    if (this.live[f] === 0) {
      t.sp = this.height[f];
    } else if (kind === FrameKind.Loop) {
      t.fb.sealBlock(this.header[f]);
      if (!t.reachable) t.sp = this.height[f];
    } else if (kind === FrameKind.If) {
      // No else arm: the else block carries the parameters (= results) to the merge block.
      if (t.reachable) {
        t.fuel.flush();
        this.jumpToNext(f);
      }
      t.fb.switchToBlock(this.elseBlock[f]);
      t.ins.jump(this.nextBlock(f), this.saved, this.savedStart[f], this.nParams[f]);
      this.enterNext(f);
    } else if (this.next[f] !== NONE) {
      if (t.reachable) {
        t.fuel.flush();
        this.jumpToNext(f);
      }
      this.enterNext(f);
    } else if (!t.reachable) {
      t.sp = this.height[f];
    }
    this.savedTop = this.savedStart[f];
    this.depth = f;
    if (kind === FrameKind.Function) {
      if (t.reachable) this.emitReturn();
      return true;
    }
    return false;
  }

  /** The merge block of frame `f`, created on first use with the frame's results as parameters. */
  private nextBlock(f: number): Block {
    let b = this.next[f];
    if (b === NONE) {
      const { fb } = this.t;
      b = fb.createBlock();
      const types = this.resultTypes[f];
      for (let i = 0; i < types.length; i++) fb.appendBlockParam(b, irType(types[i]));
      this.next[f] = b;
    }
    return b;
  }

  private jumpToNext(f: number): void {
    const t = this.t;
    const n = this.nResults[f];
    t.ins.jump(this.nextBlock(f), t.stack, t.sp - n, n);
  }

  private enterNext(f: number): void {
    const t = this.t;
    const b = this.next[f];
    t.fb.switchToBlock(b);
    t.fb.sealBlock(b);
    t.forgetVars(); // a join point
    t.sp = this.height[f];
    const n = this.nResults[f];
    for (let i = 0; i < n; i++) t.push(t.fb.blockParam(b, i));
    t.reachable = true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Branches
  // ---------------------------------------------------------------------------------------------------------

  br(depth: number): void {
    const t = this.t;
    const f = this.depth - 1 - depth;
    const kind = this.kind[f];
    if (kind === FrameKind.Function) {
      this.emitReturn();
      return;
    }
    const flushed = t.fuel.flush();
    if (kind === FrameKind.Loop) {
      const n = this.nParams[f];
      t.fuel.jumpToLoop(this.header[f], t.sp - n, n, flushed);
    } else {
      this.jumpToNext(f);
    }
    t.reachable = false;
  }

  brIf(depth: number): void {
    const t = this.t;
    const { fb, ins } = t;
    const cond = t.pop();
    const f = this.depth - 1 - depth;
    // The br_if itself is counted on both paths (flushed before the branch), as in wasmtime.
    const flushed = t.fuel.flush();
    const cont = fb.createBlock();
    if (this.kind[f] === FrameKind.Loop) {
      const n = this.nParams[f];
      if (t.fuel.checksOnEdges) {
        const edge = fb.createBlock();
        ins.brif(cond, edge, [], cont, []);
        fb.sealBlock(edge);
        fb.switchToBlock(edge);
        t.fuel.jumpToLoop(this.header[f], t.sp - n, n, flushed);
      } else {
        ins.brif(cond, this.header[f], t.stack.subarray(t.sp - n, t.sp), cont, []);
      }
    } else {
      const n = this.nResults[f];
      ins.brif(cond, this.nextBlock(f), t.stack.subarray(t.sp - n, t.sp), cont, []);
    }
    fb.sealBlock(cont);
    fb.switchToBlock(cont);
  }

  brTable(): void {
    const t = this.t;
    const { fb, reader: r } = t;
    const index = t.pop();
    const count = r.brTableCount;
    const targets = r.brTableTargets;
    const fDefault = this.depth - 1 - r.index;
    const n = this.kind[fDefault] === FrameKind.Loop ? this.nParams[fDefault] : this.nResults[fDefault];
    const flushed = t.fuel.flush();
    this.stamp++;
    this.pendingEdges.length = 0;
    const blocks = this.tableBlocks;
    blocks.length = count;
    for (let i = 0; i < count; i++) blocks[i] = this.tableTarget(this.depth - 1 - targets[i]);
    const defaultBlock = this.tableTarget(fDefault);
    t.ins.brTable(index, defaultBlock, blocks, t.stack.subarray(t.sp - n, t.sp), count);
    // Memory strategy: the loop targets went through edge blocks that hold the loop check.
    for (const e of this.pendingEdges) {
      const edge = this.edgeBlock[e];
      fb.sealBlock(edge);
      fb.switchToBlock(edge);
      t.fuel.jumpToLoop(this.header[e], t.sp - n, n, flushed);
    }
    t.reachable = false;
  }

  private tableTarget(f: number): Block {
    if (this.kind[f] !== FrameKind.Loop) return this.nextBlock(f);
    if (!this.t.fuel.checksOnEdges) return this.header[f];
    if (this.edgeStamp[f] !== this.stamp) {
      this.edgeStamp[f] = this.stamp;
      this.edgeBlock[f] = this.t.fb.createBlock();
      this.pendingEdges.push(f);
    }
    return this.edgeBlock[f];
  }

  /** `return` (and a branch to the function's label): results are the top of the operand stack. */
  emitReturn(): void {
    const t = this.t;
    const n = this.nResults[0];
    t.fuel.leave();
    t.ins.return_(t.stack, t.sp - n, n);
    t.reachable = false;
  }

  unreachable(): void {
    const t = this.t;
    t.fuel.leave();
    t.ins.trap(TrapCode.unreachable);
    t.reachable = false;
  }
}
