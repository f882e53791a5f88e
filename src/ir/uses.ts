/**
 * Def-use information computed on demand: for every value, the instructions that use it (operands and branch
 * arguments, alias-resolved), as compressed arrays. A snapshot: recompute after mutating the function.
 *
 * To replace all uses of a value you do not need this: `dfg.changeToAlias(old, new)` is O(1).
 */
import type { IrFunction } from './function.js';
import { NONE, type Inst, type Value } from './ids.js';

export class UseIndex {
  private start = new Int32Array(1);
  private users = new Int32Array(0);

  static compute(func: IrFunction): UseIndex {
    return new UseIndex().compute(func);
  }

  compute(func: IrFunction): this {
    const { dfg, layout } = func;
    const nv = dfg.numValues;
    const count = new Int32Array(nv + 1);
    // Pass 1 counts, pass 2 fills; an instruction using a value twice is listed twice.
    for (let pass = 0; pass < 2; pass++) {
      const fill = pass === 1 ? this.start.slice(0, nv) : count;
      for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
        for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
          const n = dfg.numArgs(inst);
          for (let i = 0; i < n; i++) this.record(pass, fill, dfg.arg(inst, i), inst, nv);
          const nd = dfg.numDests(inst);
          for (let k = 0; k < nd; k++) {
            const bc = dfg.dest(inst, k);
            const na = dfg.blockCallNumArgs(bc);
            for (let i = 0; i < na; i++) this.record(pass, fill, dfg.blockCallArg(bc, i), inst, nv);
          }
        }
      }
      if (pass === 0) {
        const start = new Int32Array(nv + 1);
        for (let v = 0; v < nv; v++) start[v + 1] = start[v]! + count[v]!;
        this.start = start;
        this.users = new Int32Array(start[nv]!);
      }
    }
    return this;
  }

  private record(pass: number, fill: Int32Array, v: Value, inst: Inst, nv: number): void {
    if (v < 0 || v >= nv) return;
    if (pass === 0) fill[v]++;
    else this.users[fill[v]!++] = inst;
  }

  /** Number of uses of `v` (a value used twice by one instruction counts twice). */
  numUses(v: Value): number {
    return this.start[v + 1]! - this.start[v]!;
  }

  /** The instruction of use `i` of `v`. */
  user(v: Value, i: number): Inst {
    return this.users[this.start[v]! + i]!;
  }

  /** Users as a new array (convenience). */
  usersOf(v: Value): Inst[] {
    return Array.from(this.users.subarray(this.start[v]!, this.start[v + 1]!));
  }
}
