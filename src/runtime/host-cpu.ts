/**
 * The CPU features of the machine kindling runs on (CPUID, read once), so generated code may use SSE4.1 rounding,
 * popcnt, lzcnt/tzcnt and the like where the host has them. Code is compiled for this process only, never shipped.
 */
import { cpuid } from '../../native/index.js';
import { BASELINE_CPU_FEATURES, decodeCpuFeatures, type CpuFeatures } from '../x64/index.js';

let features: CpuFeatures | null = null;

export function hostCpuFeatures(): CpuFeatures {
  if (features === null) {
    try {
      const maxLeaf = cpuid(0).eax;
      const maxExt = cpuid(0x8000_0000).eax;
      const leaf1 = cpuid(1);
      features = decodeCpuFeatures({
        leaf1Ecx: leaf1.ecx,
        leaf1Edx: leaf1.edx,
        leaf7Ebx: maxLeaf >= 7 ? cpuid(7, 0).ebx : 0,
        ext1Ecx: maxExt >= 0x8000_0001 ? cpuid(0x8000_0001).ecx : 0,
      });
    } catch {
      // No CPUID stub (should not happen on x86-64 Linux): the baseline is always correct, only slower.
      features = BASELINE_CPU_FEATURES;
    }
  }
  return features;
}
