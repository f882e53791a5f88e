/**
 * kindling's frontend: decoding and validation of Wasm 2.0 modules.
 *
 *   parseModule(bytes)          sections → ModuleInfo, everything checked except function bodies
 *   validateFunction(m, i)      one defined function's body (independent per function: can run in parallel)
 *   parseAndValidate(bytes)     both: a fully validated ModuleInfo
 *   validate(bytes)             WebAssembly.validate: true or false, never throws for bad bytes
 *
 * Errors are CompileError with the byte offset (and function index) of the problem.
 */
import { CompileError } from './errors.js';
import { FunctionValidator } from './function-validator.js';
import type { ModuleInfo } from './module-info.js';
import { parseModule, type WasmBytes } from './module-parser.js';

export { CompileError } from './errors.js';
export { parseModule, toBytes, describeFuncType, type WasmBytes } from './module-parser.js';
export { FunctionValidator } from './function-validator.js';
export { OperatorReader } from './operator-reader.js';
export { BinaryReader } from './binary-reader.js';
export * from './module-info.js';
export * from './value-types.js';
export { Op, OP_COUNT, OP_PREFIX_FC_BASE, OP_PREFIX_FD_BASE } from './opcodes.js';
export { opName, isOperator, Imm, OP_IMMEDIATE, ALL_OPERATORS, OPERATOR_COUNT } from './operator-table.js';
export { constExprI64, constExprF32, constExprF64 } from './const-expr.js';
export * from './limits.js';

let sharedValidator: FunctionValidator | null = null;

/** Validates the body of the `definedFuncIndex`-th defined (non-imported) function of a parsed module. */
export function validateFunction(module: ModuleInfo, definedFuncIndex: number): void {
  sharedValidator ??= new FunctionValidator();
  sharedValidator.validate(module, definedFuncIndex);
}

/** Decodes and fully validates a module. */
export function parseAndValidate(bytes: WasmBytes): ModuleInfo {
  const module = parseModule(bytes);
  const n = module.numDefinedFunctions;
  sharedValidator ??= new FunctionValidator();
  for (let i = 0; i < n; i++) sharedValidator.validate(module, i);
  return module;
}

/** Whether the bytes are a valid Wasm 2.0 module (like WebAssembly.validate). */
export function validate(bytes: WasmBytes): boolean {
  try {
    parseAndValidate(bytes);
    return true;
  } catch (e) {
    if (e instanceof CompileError) return false;
    throw e;
  }
}
