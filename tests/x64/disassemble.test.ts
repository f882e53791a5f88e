// The capstone wrapper: loading, offsets and bytes, base addresses, length limits, undecodable bytes, listings.

import { describe, expect, it } from 'vitest';
import { disassemble, disassembleAsync, formatListing, isDisassemblerLoaded, loadDisassembler } from '../../src/x64/disassemble.js';

describe('disassemble', () => {
  it('needs loading first, then works synchronously', async () => {
    expect(isDisassemblerLoaded()).toBe(false);
    expect(() => disassemble(Uint8Array.of(0x90))).toThrow(/await loadDisassembler\(\)/);
    await Promise.all([loadDisassembler(), loadDisassembler()]);
    expect(isDisassemblerLoaded()).toBe(true);
    expect(disassemble(Uint8Array.of(0xc3))[0]!.text).toBe('ret');
  });

  it('reports offsets, bytes, mnemonic and operands', async () => {
    const code = Uint8Array.of(0x48, 0x89, 0xc8, 0x48, 0x8b, 0x44, 0x24, 0x08, 0xc3);
    const list = await disassembleAsync(code);
    expect(list.map((i) => [i.offset, Array.from(i.bytes), i.text])).toEqual([
      [0, [0x48, 0x89, 0xc8], 'mov rax, rcx'],
      [3, [0x48, 0x8b, 0x44, 0x24, 0x08], 'mov rax, qword ptr [rsp + 8]'],
      [8, [0xc3], 'ret'],
    ]);
    expect(list[1]!.mnemonic).toBe('mov');
    expect(list[1]!.operands).toBe('rax, qword ptr [rsp + 8]');
  });

  it('branch targets follow the base address; offsets stay relative', async () => {
    const list = await disassembleAsync(Uint8Array.of(0x90, 0xeb, 0xfd), { baseAddress: 0x1000 });
    expect(list[1]!.offset).toBe(1);
    expect(list[1]!.text).toBe('jmp 0x1000');
  });

  it('stops at `length` and keeps going past undecodable bytes', async () => {
    const code = Uint8Array.of(0x90, 0x06, 0x06, 0xc3, 0xcc);
    const list = await disassembleAsync(code, { length: 4 });
    expect(list.map((i) => i.text)).toEqual(['nop', '.byte 0x06', '.byte 0x06', 'ret']);
    expect(list.map((i) => i.offset)).toEqual([0, 1, 2, 3]);
  });

  it('formats a listing', async () => {
    const text = formatListing(await disassembleAsync(Uint8Array.of(0x48, 0x89, 0xc8, 0xc3)), 0x10);
    expect(text.split('\n')).toEqual([
      `  0010: ${'48 89 c8'.padEnd(30)} mov rax, rcx`,
      `  0013: ${'c3'.padEnd(30)} ret`,
    ]);
  });
});
