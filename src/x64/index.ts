// Public surface of the x64 layer: registers, operands, the assembler and code buffer, CPU features, disassembly.

export * from './registers.js';
export * from './condition-codes.js';
export * from './amode.js';
export * from './operands.js';
export * from './opcodes.js';
export * from './errors.js';
export { CodeBuffer, FinishedCode, RelocKind, type Relocation } from './code-buffer.js';
export { Assembler } from './assembler.js';
export { writeNops, MAX_NOP_LENGTH } from './nops.js';
export * from './cpu-features.js';
export * from './disassemble.js';
