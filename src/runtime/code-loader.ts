/**
 * Loads a module's finished machine code: copies it into executable memory, resolves its relocations (calls between
 * its functions, trap sites → its raise landing pad), seals it (W^X), and registers its range in the code map with
 * its trap table and function ranges so traps and backtraces can be decoded.
 *
 * This is what the compile pipeline hands over per module:
 *   - one FinishedCode holding every defined function plus one landing pad (emitRaiseLandingPad),
 *   - the code offset [start, end) of each defined function (defined-function order),
 *   - a TrapTable keyed by trap-site return offsets (trap-table.ts).
 */
import { allocateCode, type CodeRegion } from '../../native/index.js';
import { RelocKind, type FinishedCode } from '../x64/index.js';
import { CodeKind, registerCodeRange, unregisterCodeRange, type CodeRange } from './code-map.js';
import { TRAP_RAISE_TARGET } from './link-targets.js';
import { FunctionMap, type CallSiteTable, type TrapTable } from './trap-table.js';

export interface ModuleCodeLayout {
  /** Name for backtraces and messages (e.g. the module's name). */
  readonly name: string;
  /** Code offset of each defined function's first byte (index: defined-function index). */
  readonly functionStarts: ArrayLike<number>;
  /** Code offset one past each defined function's last byte. */
  readonly functionEnds: ArrayLike<number>;
  /** Function index of defined function 0 (the module's number of imported functions). */
  readonly firstFunctionIndex: number;
  /** Offset of the raise landing pad; required when any relocation targets TRAP_RAISE_TARGET. */
  readonly raisePad: number;
  readonly trapTable: TrapTable;
  /** Optional: call sites, for wasm offsets in outer backtrace frames. */
  readonly callSites?: CallSiteTable;
  /** Optional: function names per function index, for backtraces. */
  readonly functionNames?: readonly (string | undefined)[];
}

/** What the loader needs of finished code: its bytes and relocations (FinishedCode or the backend's module code). */
export type LoadableCode = Pick<FinishedCode, 'bytes' | 'relocations'>;

export class LoadedModuleCode {
  constructor(
    readonly region: CodeRegion,
    /** Address of byte 0. */
    readonly start: number,
    readonly layout: ModuleCodeLayout,
    readonly range: CodeRange,
  ) {}

  /** Absolute address of a defined function's code. */
  functionAddress(definedIndex: number): number {
    const offset = this.layout.functionStarts[definedIndex];
    if (offset === undefined) throw new RangeError(`no defined function ${definedIndex} in ${this.layout.name}`);
    return this.start + offset;
  }

  /** Unregisters and unmaps the code. Only when no instance of the module can run any more. */
  free(): void {
    unregisterCodeRange(this.range);
    this.region.free();
  }
}

export function loadModuleCode(code: LoadableCode, layout: ModuleCodeLayout): LoadedModuleCode {
  const n = layout.functionStarts.length;
  if (layout.functionEnds.length !== n) throw new RangeError(`loadModuleCode(${layout.name}): functionStarts and functionEnds differ in length`);
  const functions = FunctionMap.of(
    Array.from({ length: n }, (_, i) => [layout.functionStarts[i]!, layout.functionEnds[i]!, layout.firstFunctionIndex + i] as const),
  );
  const region = allocateCode(code.bytes.length);
  try {
    region.write(0, code.bytes);
    const start = region.addressNumber;
    for (const reloc of code.relocations) {
      let targetOffset: number;
      if (reloc.target === TRAP_RAISE_TARGET) {
        if (!(layout.raisePad >= 0)) throw new Error(`loadModuleCode(${layout.name}): a trap site calls raise but the code has no landing pad`);
        targetOffset = layout.raisePad;
      } else if (reloc.target >= 0 && reloc.target < n) {
        targetOffset = layout.functionStarts[reloc.target]!;
      } else {
        throw new Error(`loadModuleCode(${layout.name}): relocation at offset ${reloc.offset} has unknown target ${reloc.target}`);
      }
      if (reloc.kind === RelocKind.CallRel32) region.writeU32(reloc.offset, targetOffset + reloc.addend - reloc.offset);
      else region.writeU64(reloc.offset, start + targetOffset + reloc.addend);
    }
    region.seal();
    const range: CodeRange = {
      start,
      end: start + code.bytes.length,
      kind: CodeKind.Wasm,
      name: layout.name,
      trapTable: layout.trapTable,
      functions,
      callSites: layout.callSites ?? null,
      functionNames: layout.functionNames ?? null,
    };
    registerCodeRange(range);
    return new LoadedModuleCode(region, start, layout, range);
  } catch (error) {
    region.free();
    throw error;
  }
}
