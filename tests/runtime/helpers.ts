// Test helpers: hand-assembled "modules" that follow kindling's wasm ABI, loaded through the runtime's code loader,
// and funcrefs to call them with.
import { Assembler, type FinishedCode, type Label } from '../../src/x64/index.js';
import type { FuncType } from '../../src/frontend/module-info.js';
import { ValType } from '../../src/frontend/value-types.js';
import { VMFUNCREF_CODE, VMFUNCREF_SIG_ID, VMFUNCREF_SIZE, VMFUNCREF_VMCTX } from '../../src/frontend/vm-offsets.js';
import { emitRaiseLandingPad } from '../../src/runtime/raise.js';
import { loadModuleCode, type LoadedModuleCode } from '../../src/runtime/code-loader.js';
import { TrapTableBuilder } from '../../src/runtime/trap-table.js';
import { allocateBlock } from '../../src/runtime/native-blocks.js';
import { registerFuncRef, type FuncRefInfo } from '../../src/runtime/funcrefs.js';
import { sigIdOf } from '../../src/runtime/signatures.js';
import { exportedFunctionOf } from '../../src/runtime/exported-function.js';

export const I32 = ValType.I32;
export const I64 = ValType.I64;
export const F32 = ValType.F32;
export const F64 = ValType.F64;
export const FUNCREF = ValType.FUNCREF;
export const EXTERNREF = ValType.EXTERNREF;

export function funcType(params: number[], results: number[]): FuncType {
  return { params: Uint8Array.from(params), results: Uint8Array.from(results) };
}

export interface TrapSite {
  /** Label bound right after the `call raise` (the return address). */
  readonly after: Label;
  readonly code: number;
  readonly funcIndex: number;
  readonly wasmOffset: number;
}

/** A hand-written module: functions emitted in order, one raise landing pad, trap sites recorded by label. */
export class HandModule {
  readonly a = new Assembler();
  readonly pad: Label;
  private readonly starts: Label[] = [];
  private readonly ends: Label[] = [];
  private readonly sites: TrapSite[] = [];

  constructor() {
    this.pad = emitRaiseLandingPad(this.a);
  }

  /** Emits one function; `body` gets the assembler. Returns its defined index. */
  func(body: (a: Assembler, m: HandModule) => void): number {
    const start = this.a.newLabel();
    const end = this.a.newLabel();
    this.a.align(16);
    this.a.bind(start);
    body(this.a, this);
    this.a.bind(end);
    this.starts.push(start);
    this.ends.push(end);
    return this.starts.length - 1;
  }

  /** `call raise` through the relocation the linker resolves to the landing pad, recorded as a trap site. */
  trap(code: number, funcIndex: number, wasmOffset = -1): void {
    this.a.callExternal(-1);
    const after = this.a.newLabel();
    this.a.bind(after);
    this.sites.push({ after, code, funcIndex, wasmOffset });
  }

  load(name = 'hand'): LoadedModuleCode & { finished: FinishedCode } {
    const code = this.a.finish();
    const table = new TrapTableBuilder();
    for (const s of this.sites) table.add(code.labelOffset(s.after), s.code, s.funcIndex, s.wasmOffset);
    const loaded = loadModuleCode(code, {
      name,
      functionStarts: this.starts.map((l) => code.labelOffset(l)),
      functionEnds: this.ends.map((l) => code.labelOffset(l)),
      firstFunctionIndex: 0,
      raisePad: code.labelOffset(this.pad),
      trapTable: table.finish(),
    });
    return Object.assign(loaded, { finished: code });
  }
}

/** A VMFuncRef for hand-made code with an arbitrary vmctx, and its exported JS function. */
export function exportCode(code: number, vmctx: number, type: FuncType, funcIndex = 0, owner: object = { kind: 'instance' }): (...args: any[]) => any {
  const block = allocateBlock(VMFUNCREF_SIZE, 16);
  const sigId = sigIdOf(type);
  block.setU64(VMFUNCREF_CODE, code);
  block.setU64(VMFUNCREF_VMCTX, vmctx);
  block.setU32(VMFUNCREF_SIG_ID, sigId);
  const info: FuncRefInfo = { address: block.address, code, vmctx, sigId, type, funcIndex, owner: owner as FuncRefInfo['owner'], exported: null };
  registerFuncRef(info);
  return exportedFunctionOf(info) as (...args: any[]) => any;
}
