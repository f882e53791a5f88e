import { describe, expect, it } from 'vitest';
import { allocateCode, codeMappedRanges, codeMemoryStats, mapCode, type CodeRegion } from '../../native/code-memory.js';
import { nativeFunction } from '../../native/call.js';
import { pageSize } from '../../native/libc.js';
import { isWritableAndExecutable, mappingAt, overlaps, readMappings } from './proc-maps.js';
import { ADD_I32, IDENTITY_64, THUNK, THUNK_TARGET_OFFSET } from './stubs.js';

const ADD = { params: ['i32', 'i32'], result: 'i32' } as const;

function permsAt(address: bigint): string | undefined {
  return mappingAt(address)?.perms;
}

describe('CodeRegion lifecycle', () => {
  it('is rw-p while writable and r-xp once sealed, and runs after sealing', () => {
    const region = allocateCode(ADD_I32.length);
    expect(region.stateName).toBe('writable');
    expect(permsAt(region.address)).toBe('rw-p');
    region.write(0, ADD_I32);
    region.seal();
    expect(region.sealed).toBe(true);
    expect(permsAt(region.address)).toBe('r-xp');
    expect(nativeFunction(region.address, ADD)(40, 2)).toBe(42);
    region.free();
    expect(region.freed).toBe(true);
    // Freed pages stay reserved but inaccessible.
    expect(permsAt(region.address)).toBe('---p');
  });

  it('fills fresh regions with int3 and reads back what was written', () => {
    const region = allocateCode(16);
    region.write(2, [0x90, 0x90]);
    expect(Array.from(region.read())).toEqual([0xcc, 0xcc, 0x90, 0x90, ...new Array(12).fill(0xcc)]);
    region.seal();
    expect(Array.from(region.read(2, 2))).toEqual([0x90, 0x90]);
    region.free();
  });

  it('mapCode maps, copies and seals in one step', () => {
    const region = mapCode(Uint8Array.from(ADD_I32));
    expect(region.sealed).toBe(true);
    expect(region.size).toBe(5);
    expect(region.capacity).toBe(pageSize());
    expect(Array.from(region.read())).toEqual(ADD_I32);
    expect(nativeFunction(region.addressNumber, ADD)(-7, 3)).toBe(-4);
    region.free();
  });

  it('patches with writeU32/writeU64 before sealing (little-endian)', () => {
    const region = allocateCode(16);
    region.writeU32(0, 0x11223344);
    region.writeU32(4, -2); // rel32-style negative displacement
    region.writeU64(8, 0x8877665544332211n);
    expect(Array.from(region.read())).toEqual([
      0x44, 0x33, 0x22, 0x11, 0xfe, 0xff, 0xff, 0xff, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    ]);
    region.writeU64(8, -1n);
    region.writeU8(0, 0xc3);
    expect(Array.from(region.read(8, 8))).toEqual(new Array(8).fill(0xff));
    expect(region.read(0, 1)[0]).toBe(0xc3);
    region.free();
  });

  it('links a thunk to its target by writing the target address as imm64', () => {
    const target = mapCode(IDENTITY_64);
    const thunk = allocateCode(THUNK.length);
    thunk.write(0, THUNK);
    thunk.writeU64(THUNK_TARGET_OFFSET, target.address);
    thunk.seal();
    const id = nativeFunction(thunk.address, { params: ['i64'], result: 'i64' });
    expect(id(-123456789012345n)).toBe(-123456789012345n);
    thunk.free();
    target.free();
  });

  it('pointer() gives addresses inside the region', () => {
    const region = allocateCode(100);
    expect(region.pointer(0)).toBe(region.address);
    expect(region.pointer(100)).toBe(region.address + 100n);
    expect(() => region.pointer(101)).toThrow(/offset 101 is outside region/);
    region.free();
  });
});

describe('CodeRegion errors', () => {
  it('rejects zero, negative, fractional and absurd sizes', () => {
    expect(() => allocateCode(0)).toThrow(RangeError);
    expect(() => allocateCode(0)).toThrow(/allocateCode: size must be an integer in \[1, \d+\], got 0/);
    expect(() => allocateCode(-4096)).toThrow(/got -4096/);
    expect(() => allocateCode(1.5)).toThrow(/got 1.5/);
    expect(() => allocateCode(Number.NaN)).toThrow(/got NaN/);
    expect(() => allocateCode(2 ** 40)).toThrow(RangeError);
    expect(() => mapCode([])).toThrow(/mapCode: no bytes to map/);
  });

  it('throws a clear error when writing after seal, and keeps the code intact', () => {
    const region = mapCode(ADD_I32);
    expect(() => region.write(0, [0x90])).toThrow(/CodeRegion\.write: region 0x[0-9a-f]+ \(size 5, sealed\) is sealed; writes must happen before seal\(\)/);
    expect(() => region.writeU32(0, 1)).toThrow(/writeU32.*is sealed/);
    expect(() => region.writeU64(0, 1n)).toThrow(/writeU64.*is sealed/);
    expect(() => region.writeU8(0, 1)).toThrow(/writeU8.*is sealed/);
    expect(nativeFunction(region.address, ADD)(1, 2)).toBe(3);
    region.free();
  });

  it('checks bounds and values', () => {
    const region = allocateCode(8);
    expect(() => region.write(6, [1, 2, 3])).toThrow(/3 bytes at offset 6 do not fit in region 0x[0-9a-f]+ \(size 8, writable\)/);
    expect(() => region.write(-1, [1])).toThrow(RangeError);
    expect(() => region.writeU32(5, 0)).toThrow(RangeError);
    expect(() => region.writeU64(1, 0n)).toThrow(RangeError);
    expect(() => region.writeU32(0, 2 ** 32)).toThrow(/value 4294967296 is not an integer/);
    expect(() => region.writeU64(0, 1n << 64n)).toThrow(/does not fit in 64 bits/);
    expect(() => region.writeU64(0, 2 ** 60)).toThrow(/not a safe integer/);
    expect(() => region.read(0, 9)).toThrow(RangeError);
    region.free();
  });

  it('free is idempotent and any later use throws', () => {
    const region = allocateCode(32);
    region.free();
    region.free();
    expect(() => region.write(0, [1])).toThrow(/CodeRegion\.write: region 0x[0-9a-f]+ \(size 32, freed\) is freed/);
    expect(() => region.seal()).toThrow(/CodeRegion\.seal: .* was freed/);
    expect(() => region.read()).toThrow(/was freed/);
    expect(() => region.pointer(0)).toThrow(/was freed/);
  });

  it('sealing twice is a no-op', () => {
    const region = allocateCode(4);
    expect(region.seal()).toBe(region);
    expect(region.seal()).toBe(region);
    expect(permsAt(region.address)).toBe('r-xp');
    region.free();
  });
});

describe('page pool', () => {
  it('packs small regions into shared chunks and reuses freed pages', () => {
    const page = BigInt(pageSize());
    const before = codeMemoryStats();
    const a = allocateCode(10);
    const b = allocateCode(10);
    // Two small regions: neighbouring pages of one chunk, no page shared.
    expect(b.address - a.address).toBe(page);
    expect(codeMemoryStats().chunkPagesInUse).toBe(before.chunkPagesInUse + 2);
    a.free();
    const c = allocateCode(3000);
    expect(c.address).toBe(a.address); // first fit reuses the freed page
    b.free();
    c.free();
    expect(codeMemoryStats().chunkPagesInUse).toBe(before.chunkPagesInUse);
  });

  it('gives large regions their own mapping and unmaps it on free', () => {
    const size = 3 * 1024 * 1024 + 5;
    const region = allocateCode(size);
    expect(region.capacity).toBe(Math.ceil(size / pageSize()) * pageSize());
    expect(codeMemoryStats().dedicatedMappings).toBe(1);
    region.write(size - 1, [0xc3]);
    region.seal();
    expect(permsAt(region.address)).toBe('r-xp');
    expect(permsAt(region.address + BigInt(size - 1))).toBe('r-xp');
    region.free();
    expect(codeMemoryStats().dedicatedMappings).toBe(0);
    expect(permsAt(region.address)).toBeUndefined();
  });

  it('hands out fresh zero-then-int3 pages after reuse (no stale code)', () => {
    const first = mapCode(ADD_I32);
    const address = first.address;
    first.free();
    const second = allocateCode(8);
    expect(second.address).toBe(address);
    expect(Array.from(second.read())).toEqual(new Array(8).fill(0xcc));
    second.free();
  });
});

describe('W^X', () => {
  it('no mapping of ours is ever writable and executable across many allocate/write/seal/free cycles', () => {
    const owned: Array<{ start: bigint; end: bigint }> = [];
    const assertNoWxOverlap = (): void => {
      const ranges = [...owned, ...codeMappedRanges()];
      for (const m of readMappings()) {
        if (!isWritableAndExecutable(m)) continue;
        for (const r of ranges) expect(overlaps(m, r.start, r.end), `rwx mapping over our code memory: ${m.line}`).toBe(false);
      }
    };

    let live: CodeRegion[] = [];
    let checkedCalls = 0;
    for (let cycle = 0; cycle < 40; cycle++) {
      // Sizes from tiny to multi-page, and one dedicated mapping now and then.
      const size = cycle % 13 === 12 ? 600 * 1024 : ADD_I32.length + ((cycle * 2654435761) % 20000);
      const region = allocateCode(size);
      owned.push({ start: region.address, end: region.address + BigInt(region.capacity) });
      expect(permsAt(region.address)).toBe('rw-p');
      region.write(0, ADD_I32);
      if (cycle % 5 === 0) assertNoWxOverlap();
      region.seal();
      expect(permsAt(region.address)).toBe('r-xp');
      expect(permsAt(region.address + BigInt(region.capacity - 1))).toBe('r-xp');
      expect(nativeFunction(region.address, ADD)(cycle, 1000)).toBe(cycle + 1000);
      checkedCalls++;
      live.push(region);
      // Free about half of the live regions, oldest first, so later ones reuse freed pages.
      if (cycle % 3 === 2) {
        for (const r of live.splice(0, 2)) r.free();
      }
      if (cycle % 5 === 0) assertNoWxOverlap();
    }
    assertNoWxOverlap();
    for (const r of live) r.free();
    live = [];
    assertNoWxOverlap();
    expect(checkedCalls).toBe(40);
  });

  it('reports whether the process has any rwx mapping at all (V8 in Node 20 keeps one of its own)', () => {
    const ours = codeMappedRanges();
    const rwx = readMappings().filter(isWritableAndExecutable);
    for (const m of rwx) {
      for (const r of ours) expect(overlaps(m, r.start, r.end)).toBe(false);
    }
    // Not an assertion on V8: recorded so a reader of the test output knows the whole-process answer.
    console.log(`rwx mappings in this process (none ours): ${rwx.length}${rwx.map((m) => '\n  ' + m.line).join('')}`);
  });
});
