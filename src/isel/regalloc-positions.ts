// The allocator's private number line. Every instruction i owns four positions:
//   4i+0  gap:   split moves and edge moves run here (output program point "before i")
//   4i+1  fixup: copies into fixed-use registers, reuse registers and stack-use slots (also "before i", later)
//   4i+2  early: early uses are read, early defs are written
//   4i+3  late:  late uses are read, clobbers happen, late defs are written
// Moves that follow an instruction (copies out of fixed def registers) use the program point "after i", which sits
// between 4i+3 and 4(i+1). Live ranges are half-open [start, end) over positions. Intervals are split only at gaps
// (multiples of 4), so every move the allocator inserts lands between two instructions.

export const POS_GAP = 0;
export const POS_FIXUP = 1;
export const POS_EARLY = 2;
export const POS_LATE = 3;
export const POS_INFINITY = 0x7fffffff;

/** The latest gap position at or before `pos`. */
export const gapAtOrBefore = (pos: number): number => pos & ~3;

// What a position on a vreg's list of uses asks of the location holding the vreg there.
/** Only that the vreg is available somewhere (a copy fixes it up), or a def/use that only needs liveness. */
export const REQ_NONE = 0;
/** Register preferred, stack slot accepted (an `Any` operand). */
export const REQ_ANY = 1;
/** Must be in a register. */
export const REQ_REG = 2;
/** (defs) Written straight into the vreg's spill slot. */
export const REQ_STACK = 3;

// Locations of intervals while allocating: a preg 0..31, or one of these.
export const LOC_UNASSIGNED = -1;
/** The vreg's own spill slot (its index is chosen after allocation). */
export const LOC_STACK = 32;
/** Nowhere: recomputed by re-running its constant instruction when needed. */
export const LOC_REMAT = 33;

/** Owner of a fixed range that blocks a preg for a call's clobbers rather than for a particular vreg. */
export const OWNER_CLOBBER = -1;
