/* Mandelbrot set bitmap as in the Computer Language Benchmarks Game: an f64 inner loop with an early exit. */
#include "bench.h"

#define ITERATIONS 50

/* n: image width and height in pixels (n^2 pixels, each up to ITERATIONS steps). */
u32 run(i32 n) {
  u32 h = 0x811c9dc5u;
  u32 inside = 0;
  for (i32 y = 0; y < n; y++) {
    double ci = 2.0 * (double)y / (double)n - 1.0;
    u32 bits = 0, bit_count = 0;
    for (i32 x = 0; x < n; x++) {
      double cr = 2.0 * (double)x / (double)n - 1.5;
      double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
      i32 i = 0;
      for (; i < ITERATIONS && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      u32 in_set = tr + ti <= 4.0;
      inside += in_set;
      bits = bits << 1 | in_set;
      if (++bit_count == 32) {
        h = mix32(h, bits);
        bits = 0;
        bit_count = 0;
      }
    }
    h = mix32(h, bits);
  }
  return mix32(h, inside);
}
