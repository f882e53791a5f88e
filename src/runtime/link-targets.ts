/**
 * Relocation targets of generated code (x64 Relocation.target): non-negative targets are defined-function indices of
 * the same module (calls between its functions); negative ones name runtime entry points. The constant is defined in
 * src/x64/abi.ts, which both instruction selection and the runtime import.
 */
export { TRAP_RAISE_TARGET } from '../x64/abi.js';
