// CPU feature decoding from raw CPUID registers: each bit in isolation, and the real CPU against /proc/cpuinfo.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuid } from '../../native/index.js';
import { BASELINE_CPU_FEATURES, cpuFeatureNames, decodeCpuFeatures, type CpuFeatures } from '../../src/x64/cpu-features.js';

// [feature, register, bit] — the SDM's CPUID tables, written out independently of the decoder.
const BITS: [keyof CpuFeatures, 'leaf1Ecx' | 'leaf7Ebx' | 'ext1Ecx', number][] = [
  ['sse3', 'leaf1Ecx', 0],
  ['ssse3', 'leaf1Ecx', 9],
  ['fma', 'leaf1Ecx', 12],
  ['cmpxchg16b', 'leaf1Ecx', 13],
  ['sse41', 'leaf1Ecx', 19],
  ['sse42', 'leaf1Ecx', 20],
  ['movbe', 'leaf1Ecx', 22],
  ['popcnt', 'leaf1Ecx', 23],
  ['osxsave', 'leaf1Ecx', 27],
  ['avx', 'leaf1Ecx', 28],
  ['bmi1', 'leaf7Ebx', 3],
  ['avx2', 'leaf7Ebx', 5],
  ['bmi2', 'leaf7Ebx', 8],
  ['avx512f', 'leaf7Ebx', 16],
  ['lzcnt', 'ext1Ecx', 5],
];

describe('decodeCpuFeatures', () => {
  it('maps each bit to exactly its feature', () => {
    for (const [feature, register, bit] of BITS) {
      const raw = { leaf1Ecx: 0, leaf7Ebx: 0, ext1Ecx: 0, [register]: (1 << bit) >>> 0 };
      const f = decodeCpuFeatures(raw);
      const present = cpuFeatureNames(f).filter((n) => n !== 'sse2');
      expect(present).toEqual([feature]);
    }
  });

  it('all bits set (including bit 31) and the baseline', () => {
    const all = decodeCpuFeatures({ leaf1Ecx: 0xffffffff, leaf7Ebx: -1, ext1Ecx: 0xffffffff, leaf1Edx: 0xffffffff });
    for (const [feature] of BITS) expect(all[feature]).toBe(true);
    expect(all.sse2).toBe(true);
    expect(cpuFeatureNames(BASELINE_CPU_FEATURES)).toEqual(['sse2']);
    expect(decodeCpuFeatures({ leaf1Ecx: 0, leaf7Ebx: 0, ext1Ecx: 0, leaf1Edx: 0 }).sse2).toBe(false);
  });

  it("this machine's CPUID agrees with /proc/cpuinfo", () => {
    const flags = new Set((/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').trim().split(/\s+/));
    const f = decodeCpuFeatures({
      leaf1Ecx: cpuid(1).ecx,
      leaf1Edx: cpuid(1).edx,
      leaf7Ebx: cpuid(0).eax >= 7 ? cpuid(7, 0).ebx : 0,
      ext1Ecx: cpuid(0x80000000).eax >= 0x80000001 ? cpuid(0x80000001).ecx : 0,
    });
    const linuxName: Partial<Record<keyof CpuFeatures, string>> = {
      sse2: 'sse2', sse3: 'pni', ssse3: 'ssse3', fma: 'fma', cmpxchg16b: 'cx16', sse41: 'sse4_1', sse42: 'sse4_2',
      movbe: 'movbe', popcnt: 'popcnt', avx: 'avx', bmi1: 'bmi1', avx2: 'avx2', bmi2: 'bmi2', avx512f: 'avx512f', lzcnt: 'abm',
    };
    for (const [feature, name] of Object.entries(linuxName)) {
      expect([feature, f[feature as keyof CpuFeatures]]).toEqual([feature, flags.has(name!)]);
    }
    expect(f.sse2).toBe(true);
  });
});
