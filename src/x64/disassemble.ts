// Disassembly through capstone (the @alexaltea/capstone-js emscripten build): x86-64, Intel syntax.
//
// Capstone's wasm module can only be instantiated asynchronously (its factory awaits WebAssembly.instantiate), so
// there is a one-time `await loadDisassembler()`; after that `disassemble()` is synchronous. `disassembleAsync()`
// does both. Used by tests, `kindling compile --emit asm` and debugging; never by the compile path itself.

import { createRequire } from 'node:module';

export interface DisassembledInstruction {
  /** Offset of the instruction within the given bytes (plus the optional base address). */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** Intel syntax, e.g. "mov rax, qword ptr [rsp + 8]"; ".byte 0x06" for undecodable bytes. */
  readonly text: string;
  readonly mnemonic: string;
  readonly operands: string;
}

export interface DisassembleOptions {
  /** Address of bytes[0] as printed in branch targets and offsets (default 0). */
  readonly baseAddress?: number;
  /** Only decode the first `length` bytes (e.g. FinishedCode.codeSize, to skip the constant pool). */
  readonly length?: number;
}

interface CapstoneInsn {
  address: bigint;
  size: number;
  mnemonic: string;
  op_str: string;
}
interface CapstoneHandle {
  disasm(buffer: Uint8Array, address: number, max?: number): CapstoneInsn[];
}
interface CapstoneModule {
  ARCH_X86: number;
  MODE_64: number;
  Capstone: new (arch: number, mode: number) => CapstoneHandle;
}

let handle: CapstoneHandle | undefined;
let loading: Promise<void> | undefined;

/** Instantiates capstone once; safe to call repeatedly and concurrently. */
export function loadDisassembler(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require('@alexaltea/capstone-js') as () => Promise<CapstoneModule>;
    const cs = await factory();
    handle = new cs.Capstone(cs.ARCH_X86, cs.MODE_64);
  })();
  return loading;
}

export function isDisassemblerLoaded(): boolean {
  return handle !== undefined;
}

/**
 * Disassembles `code` synchronously (call loadDisassembler() first). Undecodable bytes become one ".byte" entry
 * each and decoding resumes after them, so data (e.g. a constant pool) never stops the listing.
 */
export function disassemble(code: Uint8Array, options: DisassembleOptions = {}): DisassembledInstruction[] {
  const cs = handle;
  if (cs === undefined) throw new Error('disassemble: capstone is not loaded yet; await loadDisassembler() first');
  const base = options.baseAddress ?? 0;
  const end = Math.min(options.length ?? code.length, code.length);
  const out: DisassembledInstruction[] = [];
  let pos = 0;
  while (pos < end) {
    let decoded: CapstoneInsn[] = [];
    try {
      decoded = cs.disasm(code.subarray(pos, end), base + pos);
    } catch {
      decoded = []; // capstone throws when not even the first instruction decodes
    }
    for (const insn of decoded) {
      const offset = Number(insn.address) - base;
      out.push({
        offset,
        bytes: code.slice(offset, offset + insn.size),
        text: insn.op_str === '' ? insn.mnemonic : `${insn.mnemonic} ${insn.op_str}`,
        mnemonic: insn.mnemonic,
        operands: insn.op_str,
      });
      pos = offset + insn.size;
    }
    if (pos < end) {
      const byte = code[pos]!;
      out.push({ offset: pos, bytes: code.slice(pos, pos + 1), text: `.byte 0x${byte.toString(16).padStart(2, '0')}`, mnemonic: '.byte', operands: `0x${byte.toString(16).padStart(2, '0')}` });
      pos++;
    }
  }
  return out;
}

export async function disassembleAsync(code: Uint8Array, options: DisassembleOptions = {}): Promise<DisassembledInstruction[]> {
  await loadDisassembler();
  return disassemble(code, options);
}

/** A printable listing: "  0010: 48 89 c8                 mov rax, rcx" per line. */
export function formatListing(instructions: readonly DisassembledInstruction[], baseAddress = 0): string {
  const lines: string[] = [];
  for (const insn of instructions) {
    const hexBytes = Array.from(insn.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`  ${(baseAddress + insn.offset).toString(16).padStart(4, '0')}: ${hexBytes.padEnd(30)} ${insn.text}`);
  }
  return lines.join('\n');
}
