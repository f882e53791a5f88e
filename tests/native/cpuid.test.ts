import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CPUID_STUB, cpuVendor, cpuid } from '../../native/cpuid.js';

function procCpuinfoField(name: string): string {
  const match = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(readFileSync('/proc/cpuinfo', 'utf8'));
  if (match === null) throw new Error(`/proc/cpuinfo has no ${name}`);
  return match[1]!.trim();
}

describe('cpuid', () => {
  it("leaf 0's vendor string matches /proc/cpuinfo's vendor_id", () => {
    expect(cpuVendor()).toBe(procCpuinfoField('vendor_id'));
    expect(cpuVendor()).toMatch(/^(GenuineIntel|AuthenticAMD|.{12})$/);
  });

  it('leaf 0 reports a maximum basic leaf of at least 1; leaf 1 matches the family/model/stepping and flags', () => {
    const leaf0 = cpuid(0);
    expect(leaf0.eax).toBeGreaterThanOrEqual(1);
    const { eax, ecx, edx } = cpuid(1, 0);
    const baseFamily = (eax >>> 8) & 0xf;
    const family = baseFamily === 0xf ? baseFamily + ((eax >>> 20) & 0xff) : baseFamily;
    const baseModel = (eax >>> 4) & 0xf;
    const model = baseFamily === 0x6 || baseFamily === 0xf ? (((eax >>> 16) & 0xf) << 4) | baseModel : baseModel;
    expect(family).toBe(Number(procCpuinfoField('cpu family')));
    expect(model).toBe(Number(procCpuinfoField('model')));
    const flags = new Set(procCpuinfoField('flags').split(/\s+/));
    // x86-64 guarantees SSE2 (edx bit 26); the kernel's flags agree with the raw bits we read.
    expect((edx >>> 26) & 1).toBe(1);
    expect(flags.has('sse2')).toBe(true);
    expect(((ecx >>> 19) & 1) === 1).toBe(flags.has('sse4_1'));
    expect(((ecx >>> 20) & 1) === 1).toBe(flags.has('sse4_2'));
    expect(((ecx >>> 23) & 1) === 1).toBe(flags.has('popcnt'));
  });

  it('returns unsigned 32-bit numbers and honours the subleaf', () => {
    const r = cpuid(0x8000_0000);
    for (const v of [r.eax, r.ebx, r.ecx, r.edx]) {
      expect(Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff).toBe(true);
    }
    expect(r.eax).toBeGreaterThanOrEqual(0x8000_0000); // highest extended leaf
    if (cpuid(0).eax >= 7) {
      // Leaf 7 subleaf 0 reports in eax how many subleaves exist; it must be stable across calls.
      expect(cpuid(7, 0).eax).toBe(cpuid(7, 0).eax);
    }
  });

  it('the stub bytes are the documented ones', () => {
    expect(CPUID_STUB.length).toBe(27);
    expect(Array.from(CPUID_STUB.subarray(8, 10))).toEqual([0x0f, 0xa2]); // cpuid
    expect(CPUID_STUB[0]).toBe(0x53); // push rbx
    expect(CPUID_STUB[25]).toBe(0x5b); // pop rbx
    expect(CPUID_STUB[26]).toBe(0xc3); // ret
  });

  it('rejects bad leaves', () => {
    expect(() => cpuid(-1)).toThrow(/cpuid: leaf must be an unsigned 32-bit integer, got -1/);
    expect(() => cpuid(0, 2 ** 32)).toThrow(/subleaf must be/);
  });
});
