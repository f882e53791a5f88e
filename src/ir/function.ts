/**
 * An IR function: name, signature, the data-flow graph (what is computed) and the layout (in which order).
 */
import { DataFlowGraph } from './dfg.js';
import { NONE, type Block } from './ids.js';
import { Layout } from './layout.js';
import { Signature } from './signature.js';

export class IrFunction {
  readonly dfg = new DataFlowGraph();
  readonly layout = new Layout();

  constructor(
    /** Printed as `%name`; for wasm functions e.g. `f12` or the name-section name. */
    public name = 'f',
    public signature: Signature = new Signature(),
  ) {}

  /** The entry block (first in layout); its parameters are the function's parameters. NONE when empty. */
  get entryBlock(): Block {
    return this.layout.firstBlock;
  }

  /** Resets to an empty function, keeping allocated storage (reuse one IrFunction per compiled function). */
  clear(name = 'f', signature: Signature = new Signature()): void {
    this.name = name;
    this.signature = signature;
    this.dfg.clear();
    this.layout.clear();
  }

  /** Number of instructions in the layout (walks every block). */
  countInsts(): number {
    let n = 0;
    for (let b = this.layout.firstBlock; b !== NONE; b = this.layout.nextBlock(b)) n += this.layout.blockLength(b);
    return n;
  }

  /** Number of blocks in the layout. */
  countBlocks(): number {
    let n = 0;
    for (let b = this.layout.firstBlock; b !== NONE; b = this.layout.nextBlock(b)) n++;
    return n;
  }
}
