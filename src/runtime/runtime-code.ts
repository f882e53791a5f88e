/** Maps machine code the runtime generates itself (raise, trampolines, import stubs) and registers it in the code map. */
import { mapCode, type CodeRegion } from '../../native/index.js';
import type { FinishedCode } from '../x64/index.js';
import { registerCodeRange, type CodeKind, type CodeRange } from './code-map.js';

export interface MappedRuntimeCode {
  readonly region: CodeRegion;
  /** Address of byte 0 as a number (x86-64 user addresses fit a double exactly). */
  readonly start: number;
  readonly range: CodeRange;
}

/** Copies finished code (no relocations allowed) into fresh executable memory and registers its range. */
export function mapRuntimeCode(code: FinishedCode, kind: CodeKind, name: string): MappedRuntimeCode {
  if (code.relocations.length !== 0) throw new Error(`mapRuntimeCode(${name}): runtime code must not need relocations`);
  const region = mapCode(code.bytes);
  const start = region.addressNumber;
  const range: CodeRange = { start, end: start + code.bytes.length, kind, name, trapTable: null, functions: null };
  registerCodeRange(range);
  return { region, start, range };
}

const TWO_POW_32 = 4294967296;

/** Low and high 32-bit halves of an address (a non-negative safe integer), for imm64 fields and constant slots. */
export function splitAddress(address: number): [lo: number, hi: number] {
  return [address % TWO_POW_32 | 0, Math.floor(address / TWO_POW_32) | 0];
}
