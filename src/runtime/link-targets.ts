/**
 * Relocation targets of generated code (x64 Relocation.target): non-negative targets are defined-function indices of
 * the same module (calls between its functions); negative ones name runtime entry points.
 */

/** `call` to the module's raise landing pad (raise.ts emitRaiseLandingPad) from a trap site. */
export const TRAP_RAISE_TARGET = -1;
