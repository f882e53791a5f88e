/**
 * kindling SSA IR: public entry point. See README.md in this folder for the data model and examples.
 */
export * from './types.js';
export * from './ids.js';
export * from './condcodes.js';
export * from './trapcodes.js';
export * from './memflags.js';
export * from './opcodes.js';
export * from './signature.js';
export { ListPool, EMPTY_LIST, type ListHandle } from './list-pool.js';
export { DataFlowGraph, ValueKind } from './dfg.js';
export { Layout } from './layout.js';
export { IrFunction } from './function.js';
export { InstBuilder, type InstSink, f32ToBits, f64ToBits, numberHi, numberLo } from './inst-builder.js';
export { FuncCursor } from './cursor.js';
export { FunctionBuilder, type Variable } from './builder.js';
export { SSABuilder } from './ssa.js';
export { ControlFlowGraph } from './cfg.js';
export { DominatorTree } from './dominators.js';
export { LoopAnalysis, type Loop } from './loops.js';
export { UseIndex } from './uses.js';
export { verifyFunction, verifyOrThrow, IrVerifyError } from './verifier.js';
export { printFunction, formatInst, formatInstLine, formatBlockHeader, formatFunctionName } from './printer.js';
export { parseFunction, parseFunctions, IrParseError } from './parser.js';
export { formatImm, formatF32, formatF64, parseF32, parseF64, parseInt64 } from './immediates.js';
export { runPasses, runPass, pipelineFor, PASS_NAMES, type PassStats } from './passes/index.js';
export { interpret } from './interpret.js';
