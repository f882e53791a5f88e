// Public surface of the runtime layer. See README.md.

// The WebAssembly-compatible namespace and its members.
export {
  WebAssembly, validate, compile, instantiate, compileStreaming, instantiateStreaming,
  type InstantiateOptions, type WebAssemblyInstantiatedSource, type KindlingWebAssembly,
} from './namespace.js';
export { Module, type ModuleOptions, type ModuleExportDescriptor, type ModuleImportDescriptor, type ExternKind } from './module.js';
export { Instance, type InstanceOptions } from './instance.js';

export { Engine, getDefaultEngine, DEFAULT_MAX_WASM_STACK, type EngineOptions, type FuelStrategy, type OptLevel } from './engine.js';
export { Store, getDefaultStore, defaultStoreFor } from './store.js';
export { Memory, MemoryState, memoryStateOf, PAGE_SIZE, type MemoryDescriptor } from './memory.js';
export { Table, MAX_TABLE_LENGTH, type TableDescriptor } from './table.js';
export { Global, type GlobalDescriptor } from './global.js';
export { CompileError, LinkError, RuntimeError, type WasmFrame } from './errors.js';
export { trapError, trapMessage } from './traps.js';

// For the compile pipeline: loading code, trap sites, instances.
export { TRAP_RAISE_TARGET } from './link-targets.js';
export { emitRaiseLandingPad, raiseAddress } from './raise.js';
export { CallSiteTable, FunctionMap, TrapTable, TrapTableBuilder } from './trap-table.js';
export { LoadedModuleCode, loadModuleCode, type ModuleCodeLayout, type LoadableCode } from './code-loader.js';
export {
  codegenSettings, backendOptions, buildFunctionIr, buildModuleMachineCode, compileModuleCode, newCompileTimings, parseAndValidateModule, functionName, moduleSigIds,
  type CodegenSettings, type CompileTimings, type FuelMode, type CompiledModuleArtifacts, type ModuleMachineCode,
} from './pipeline.js';
export { hostCpuFeatures } from './host-cpu.js';
export { formatWasmFrame } from './trap-handling.js';
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
