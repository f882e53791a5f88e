/**
 * Entity ids. Values, blocks, instructions, signatures and function references are dense integer ids
 * (v0, block0, ...) that index struct-of-arrays columns in the DataFlowGraph and Layout.
 * Type aliases only document intent: they are all plain numbers at run time.
 */
export type Value = number;
export type Block = number;
export type Inst = number;
/** A declared signature (`sig0`). */
export type SigRef = number;
/** A declared external function (`fn0`). */
export type FuncRef = number;
/**
 * Handle of a block call (destination block + its argument values) inside the DataFlowGraph's list pool.
 * Each branch owns its own block calls; a handle may change when arguments are appended, so read it from the
 * branch each time (`dfg.dest(inst, k)`) rather than keeping it across mutations.
 */
export type BlockCall = number;

/** "No entity": the id used for absent values, blocks and instructions. */
export const NONE = -1;
