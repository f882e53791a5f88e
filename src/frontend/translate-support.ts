/**
 * Small data structures of the translator (translate.ts).
 */
import { NONE, type Block, type Inst, type InstSink, type Layout } from '../ir/index.js';

/** A small map from dense integer keys to integers, cleared in O(1) (per function) by bumping a stamp. */
export class DenseCache {
  private stamps = new Int32Array(16);
  private values = new Int32Array(16);
  private stamp = 1;

  clear(): void {
    this.stamp++;
  }

  get(key: number): number {
    return key < this.stamps.length && this.stamps[key] === this.stamp ? this.values[key] : -1;
  }

  set(key: number, value: number): void {
    if (key >= this.stamps.length) {
      const n = Math.max(key + 1, this.stamps.length * 2);
      const s = new Int32Array(n);
      s.set(this.stamps);
      const v = new Int32Array(n);
      v.set(this.values);
      this.stamps = s;
      this.values = v;
    }
    this.stamps[key] = this.stamp;
    this.values[key] = value;
  }
}

/** Places hoisted instructions at the top of the entry block, in the order they are built. */
export class EntryHoister implements InstSink {
  block: Block = NONE;
  last: Inst = NONE;
  layout!: Layout;

  insertBuilt(inst: Inst): void {
    if (this.last !== NONE) this.layout.insertInstAfter(inst, this.last);
    else {
      const first = this.layout.firstInst(this.block);
      if (first === NONE) this.layout.appendInst(inst, this.block);
      else this.layout.insertInstBefore(inst, first);
    }
    this.last = inst;
  }
}
