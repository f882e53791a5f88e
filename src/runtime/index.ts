// Public surface of the runtime layer (part 1: everything below Module/Instance). See README.md.

export { Engine, getDefaultEngine, DEFAULT_MAX_WASM_STACK, type EngineOptions, type FuelStrategy, type OptLevel } from './engine.js';
export { Store, getDefaultStore } from './store.js';
export { Memory, MemoryState, memoryStateOf, PAGE_SIZE, type MemoryDescriptor } from './memory.js';
export { Table, MAX_TABLE_LENGTH, type TableDescriptor } from './table.js';
export { Global, type GlobalDescriptor } from './global.js';
export { CompileError, LinkError, RuntimeError, type WasmFrame } from './errors.js';
export { trapError, trapMessage } from './traps.js';

// For the compile pipeline: loading code, trap sites, instances.
export { TRAP_RAISE_TARGET } from './link-targets.js';
export { emitRaiseLandingPad, raiseAddress } from './raise.js';
export { FunctionMap, TrapTable, TrapTableBuilder } from './trap-table.js';
export { LoadedModuleCode, loadModuleCode, type ModuleCodeLayout } from './code-loader.js';
export { VMInstance, createVMInstance, type InstanceCode, type ResolvedImports } from './vmcontext.js';
export { resolveImports } from './link.js';
export { builtinAddress, builtinsArrayAddress } from './builtins.js';
export { prepareSignatureCode, entryTrampolineFor, importStubFor, type EntryTrampoline } from './signature-code.js';
export { sigIdOf, funcTypeOfSig, describeType } from './signatures.js';

// Functions and values across the JS boundary.
export { exportedFunctionOf } from './exported-function.js';
export { hostFuncRef } from './host-functions.js';
export { funcRefAt, funcRefOfFunction, type FuncRefInfo } from './funcrefs.js';
export { fromRawValue, toRawValue, type RawValue } from './values.js';
