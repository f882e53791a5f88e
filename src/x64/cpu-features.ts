// Decodes raw CPUID register values into the features the backend cares about.
//
// The raw numbers come from native/cpuid.ts (this folder must not import native/). Only capability bits are decoded
// here; choosing fallbacks (e.g. bsr-based clz without lzcnt) is the backend's job. AVX usability additionally needs
// the OS to save YMM state (OSXSAVE + XGETBV), which is reported as `osxsave` but not checked further here.

/** CPUID outputs, one 32-bit register per field (missing leaves: pass 0). */
export interface RawCpuid {
  /** CPUID.(EAX=1):ECX */
  readonly leaf1Ecx: number;
  /** CPUID.(EAX=1):EDX (optional; SSE/SSE2 are architectural on x86-64 anyway) */
  readonly leaf1Edx?: number;
  /** CPUID.(EAX=7,ECX=0):EBX */
  readonly leaf7Ebx: number;
  /** CPUID.(EAX=0x80000001):ECX */
  readonly ext1Ecx: number;
}

export interface CpuFeatures {
  readonly sse2: boolean;
  readonly sse3: boolean;
  readonly ssse3: boolean;
  /** SSE4.1: roundss/roundsd, pinsr/pextr, blendv, ... */
  readonly sse41: boolean;
  readonly sse42: boolean;
  readonly popcnt: boolean;
  /** LZCNT (CPUID 0x80000001 ECX bit 5, "ABM"). Without it the F3 0F BD encoding silently executes as BSR. */
  readonly lzcnt: boolean;
  /** BMI1, which includes TZCNT. Without it F3 0F BC silently executes as BSF. */
  readonly bmi1: boolean;
  readonly bmi2: boolean;
  readonly fma: boolean;
  readonly avx: boolean;
  readonly avx2: boolean;
  readonly avx512f: boolean;
  readonly osxsave: boolean;
  readonly cmpxchg16b: boolean;
  readonly movbe: boolean;
}

function bit(value: number | undefined, n: number): boolean {
  return ((value ?? 0) >>> n & 1) === 1;
}

export function decodeCpuFeatures(raw: RawCpuid): CpuFeatures {
  const c1 = raw.leaf1Ecx;
  const b7 = raw.leaf7Ebx;
  return {
    sse2: raw.leaf1Edx === undefined ? true : bit(raw.leaf1Edx, 26),
    sse3: bit(c1, 0),
    ssse3: bit(c1, 9),
    fma: bit(c1, 12),
    cmpxchg16b: bit(c1, 13),
    sse41: bit(c1, 19),
    sse42: bit(c1, 20),
    movbe: bit(c1, 22),
    popcnt: bit(c1, 23),
    osxsave: bit(c1, 27),
    avx: bit(c1, 28),
    bmi1: bit(b7, 3),
    avx2: bit(b7, 5),
    bmi2: bit(b7, 8),
    avx512f: bit(b7, 16),
    lzcnt: bit(raw.ext1Ecx, 5),
  };
}

/** The x86-64 baseline (SSE2 only): what generated code may assume when CPUID is unavailable. */
export const BASELINE_CPU_FEATURES: CpuFeatures = decodeCpuFeatures({ leaf1Ecx: 0, leaf7Ebx: 0, ext1Ecx: 0 });

/** Names of the features that are present, e.g. ['sse2', 'sse41', 'popcnt', ...] (for `kindling` diagnostics). */
export function cpuFeatureNames(features: CpuFeatures): string[] {
  const names: string[] = [];
  for (const [name, present] of Object.entries(features)) if (present === true) names.push(name);
  return names;
}
