// The x86 CPUID instruction, run by a tiny hand-assembled stub. Interpreting the bits (SSE4.1, AVX, BMI, LZCNT…)
// is src/x64's job; this file only fetches the four registers.
//
// Stub, System V: void cpuid(uint32_t leaf /* edi */, uint32_t subleaf /* esi */, uint32_t out[4] /* rdx */)
//   53                push rbx                  ; cpuid writes rbx, which is callee-saved
//   49 89 d0          mov  r8, rdx              ; cpuid writes edx: keep the output pointer elsewhere
//   89 f8             mov  eax, edi             ; leaf
//   89 f1             mov  ecx, esi             ; subleaf
//   0f a2             cpuid
//   41 89 00          mov  [r8], eax
//   41 89 58 04       mov  [r8 + 4], ebx
//   41 89 48 08       mov  [r8 + 8], ecx
//   41 89 50 0c       mov  [r8 + 12], edx
//   5b                pop  rbx
//   c3                ret

import { nativeFunction, type NativeFunction } from './call.js';
import { mapCode } from './code-memory.js';

export const CPUID_STUB = Uint8Array.of(
  0x53,
  0x49, 0x89, 0xd0,
  0x89, 0xf8,
  0x89, 0xf1,
  0x0f, 0xa2,
  0x41, 0x89, 0x00,
  0x41, 0x89, 0x58, 0x04,
  0x41, 0x89, 0x48, 0x08,
  0x41, 0x89, 0x50, 0x0c,
  0x5b,
  0xc3,
);

export interface CpuidResult {
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
}

const STUB_SIGNATURE = { params: ['u32', 'u32', 'ptr'], result: 'void' } as const;

let stub: NativeFunction<typeof STUB_SIGNATURE> | null = null;
// koffi passes a typed array's own bytes as the pointer (no copy), so the stub writes straight into it.
const registers = new Uint32Array(4);

/** Runs CPUID with eax = leaf, ecx = subleaf; the four registers as unsigned 32-bit numbers. */
export function cpuid(leaf: number, subleaf = 0): CpuidResult {
  checkU32('leaf', leaf);
  checkU32('subleaf', subleaf);
  // Mapped once for the life of the process: a page of code for a probe that runs a handful of times.
  if (stub === null) stub = nativeFunction(mapCode(CPUID_STUB).address, STUB_SIGNATURE);
  stub(leaf, subleaf, registers);
  return { eax: registers[0]!, ebx: registers[1]!, ecx: registers[2]!, edx: registers[3]! };
}

/** The vendor string of leaf 0 (ebx, edx, ecx as ASCII), e.g. 'GenuineIntel' or 'AuthenticAMD'. */
export function cpuVendor(): string {
  const { ebx, edx, ecx } = cpuid(0, 0);
  return ascii(ebx) + ascii(edx) + ascii(ecx);
}

function ascii(word: number): string {
  return String.fromCharCode(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
}

function checkU32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`cpuid: ${name} must be an unsigned 32-bit integer, got ${value}`);
  }
}
