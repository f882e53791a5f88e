// The one error type the x64 layer throws for impossible or malformed instructions.
// Messages name the instruction and its operands, e.g.
//   x64: cannot encode `add qword ptr [rax], qword ptr [rbx]`: memory-to-memory operands are not encodable

export class X64EncodeError extends Error {
  /** Instruction as written by the caller, e.g. "add qword ptr [rax], qword ptr [rbx]". */
  readonly instruction: string;
  readonly reason: string;

  constructor(instruction: string, reason: string) {
    super(`x64: cannot encode \`${instruction}\`: ${reason}`);
    this.name = 'X64EncodeError';
    this.instruction = instruction;
    this.reason = reason;
  }
}
