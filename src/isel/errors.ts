/**
 * A function the backend cannot compile (an unsupported opcode or signature, a broken invariant in the IR it was
 * given, or a register-allocation contract violation). The message names the function and, where known, the IR
 * instruction; the runtime turns it into a CompileError.
 */
export class IselError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IselError';
  }
}
