// Public surface of instruction selection, register allocation wiring and emission (see README.md).

export {
  compileFunction,
  functionAt,
  ModuleCodeBuilder,
  TrapTable,
  verifyAllocation,
  type CallSiteTable,
  type CompileOptions,
  type CompileStats,
  type CompiledFunction,
  type CompiledModuleCode,
  type FunctionCode,
  type TrapSite,
} from './compile.js';
export { lowerFunction, type LowerOptions } from './lower.js';
export { Emitter, TRAP_RAISE_TARGET, type EmitOptions, type EmittedFunction } from './emit.js';
export { VCode, type TrapSiteList } from './vcode.js';
export { printVCode } from './vcode-printer.js';
export { IselError } from './errors.js';
export { sigLayout, type SigLayout } from './abi-layout.js';
export { computeFrame, type FrameLayout } from './frame.js';
export { MOp, MOP_NAMES } from './mops.js';
