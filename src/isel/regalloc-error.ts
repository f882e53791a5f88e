/**
 * Raised when the allocator's input breaks the contract of `regalloc-types.ts` (a vreg defined twice, a critical edge
 * left unsplit, an instruction needing more registers than exist, ...). The message names the instruction, block or
 * vreg at fault, so the producer (instruction selection) can be fixed; the compiler turns it into a compile error.
 */
export class RegAllocError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegAllocError';
  }
}
