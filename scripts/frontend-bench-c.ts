/**
 * Generates a C program of many varied functions (loops over arrays, integer and float math, switches, bit tricks,
 * structs, calls between functions) for the frontend throughput benchmark: clang turns it into realistic wasm code.
 * Deterministic for a given seed.
 */

function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRELUDE = `
typedef unsigned int u32; typedef unsigned long long u64; typedef long long i64;
struct point { int x, y; double w; };
static unsigned char heap[1 << 20];
int ibuf[4096]; double dbuf[4096]; u64 qbuf[2048]; struct point pts[1024];
`;

export function generateBenchC(functions: number, seed = 1): string {
  const rng = makeRng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const out: string[] = [PRELUDE];
  for (let i = 0; i < functions; i++) {
    const callee = i > 4 ? `f${int(Math.max(0, i - 40), i - 1)}` : null;
    const kind = int(0, 7);
    const k1 = int(1, 31);
    const k2 = int(3, 999);
    const call = callee ? `${callee}(a ^ ${k2}, b + ${k1})` : `${k2}`;
    let bodyText: string;
    switch (kind) {
      case 0:
        bodyText = `int acc = a; for (int i = 0; i < (b & 1023); i++) { acc = acc * ${k2} + ibuf[(i + a) & 4095]; acc ^= acc >> ${k1}; ibuf[i & 4095] = acc; } return acc + ${call};`;
        break;
      case 1:
        bodyText = `double s = 0; for (int i = 0; i < (a & 511); i++) { double x = dbuf[(i * ${k1}) & 4095]; s += x * ${k2}.5 - __builtin_sqrt(x < 0 ? -x : x) / (1.0 + i); } if (s > 1e9) s = ${call}; return (int)s ^ b;`;
        break;
      case 2:
        bodyText = `switch ((a + b) % ${int(5, 12)}) { case 0: return a * ${k2}; case 1: return b - a; case 2: return ${call}; case 3: return (a << ${k1 % 16}) | (b >> 3); case 4: return __builtin_popcount(a) + __builtin_clz(b | 1); default: { int r = 0; while (a > 0) { r += a % 10; a /= 10; } return r * b; } }`;
        break;
      case 3:
        bodyText = `u64 h = 1469598103934665603ULL ^ (u64)a; for (int i = 0; i < ${int(8, 64)}; i++) { h ^= qbuf[(i + b) & 2047]; h *= 1099511628211ULL; h = (h << ${k1}) | (h >> ${64 - k1}); } qbuf[a & 2047] = h; return (int)(h >> 17) + ${call};`;
        break;
      case 4:
        bodyText = `int best = 0; for (int i = 0; i < 1024; i += ${int(1, 4)}) { struct point *p = &pts[i]; int d = (p->x - a) * (p->x - a) + (p->y - b) * (p->y - b); if (d < best || i == 0) { best = d; p->w += 0.5; } } return best + ${call};`;
        break;
      case 5:
        bodyText = `for (int i = 0; i < (a & 255); i++) { for (int j = i + 1; j < (a & 255); j++) { if (ibuf[j] < ibuf[i]) { int t = ibuf[i]; ibuf[i] = ibuf[j]; ibuf[j] = t; } } } return ibuf[b & 255] + ${call};`;
        break;
      case 6:
        bodyText = `unsigned char *p = heap + ((u32)a & 0xffff); u32 c = 0; for (int i = 0; i < (b & 4095); i++) { c = (c >> 8) ^ (u32)(p[i] * ${k2}u); p[i] = (unsigned char)c; } float f = (float)c * 0.25f; return (int)f + ${call};`;
        break;
      default:
        bodyText = `i64 x = a, y = b; for (int i = 0; i < ${int(4, 40)}; i++) { x = x * ${k2} + y; y = (y ^ x) >> ${k1 % 8 + 1}; if ((x & 7) == 3) y += ${call}; } return (int)(x ^ y);`;
    }
    out.push(`__attribute__((noinline)) int f${i}(int a, int b) { ${bodyText} }`);
  }
  out.push(`int run(int n) { int s = 0; for (int i = 0; i < n; i++) s += f${functions - 1}(i, s); return s; }`);
  return out.join('\n');
}
