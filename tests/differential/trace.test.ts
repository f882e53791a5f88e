import { describe, expect, it } from 'vitest';
import { hashMemory } from './memory-hash.js';
import { describeEntry, diffTraces, type TraceEntry } from './trace.js';

const entries = (...keys: string[]): TraceEntry[] => keys.map((key) => ({ key }));

describe('diffTraces', () => {
  it('finds no difference in equal keys, whatever the details say', () => {
    const a = [{ key: 'compile: ok' }, { key: 'trap unreachable', detail: 'RuntimeError: unreachable' }];
    const b = [{ key: 'compile: ok' }, { key: 'trap unreachable', detail: 'RuntimeError: unreachable executed' }];
    expect(diffTraces(a, b)).toBeNull();
  });

  it('reports the first differing entry and the call it belongs to', () => {
    const a = entries('compile: ok', 'call f()', '=> i32:1', 'call g(i32:0)', 'host m.log(i32:1)', '=> ');
    const b = entries('compile: ok', 'call f()', '=> i32:1', 'call g(i32:0)', 'host m.log(i32:2)', '=> ');
    expect(diffTraces(a, b)).toEqual({ index: 4, call: 'call g(i32:0)', a: a[4], b: b[4] });
  });

  it('reports a trace that ends early', () => {
    const a = entries('compile: ok', 'call f()');
    const d = diffTraces(a, a.slice(0, 1));
    expect(d).toEqual({ index: 1, call: '', a: a[1], b: null });
    expect(describeEntry(d!.b)).toBe('(trace ended)');
    expect(describeEntry({ key: 'trap x', detail: 'RuntimeError: y' })).toBe('trap x   [RuntimeError: y]');
  });
});

describe('hashMemory', () => {
  it('changes with any single bit, in any word lane and in the tail, and records the size in pages', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = new Uint8Array(memory.buffer);
    const base = hashMemory(memory.buffer);
    expect(base).toMatch(/^1p:[0-9a-f]{8}$/);
    const seen = new Set([base]);
    for (const offset of [0, 1, 4, 9, 14, 15, 65535]) {
      bytes[offset] ^= 0x80;
      seen.add(hashMemory(memory.buffer));
      bytes[offset] ^= 0x80;
      expect(hashMemory(memory.buffer)).toBe(base);
    }
    expect(seen.size).toBe(8);
    // Two flips of the same high bit in one lane (words 0 and 4) must not cancel out.
    bytes[3] ^= 0x80;
    bytes[19] ^= 0x80;
    expect(hashMemory(memory.buffer)).not.toBe(base);
    memory.grow(1);
    expect(hashMemory(memory.buffer)).toMatch(/^2p:/);
    expect(hashMemory(new Uint8Array([1, 2, 3, 4, 5]).buffer)).not.toBe(hashMemory(new Uint8Array([1, 2, 3, 4, 6]).buffer));
  });
});
