/* Dense f64 matrix multiply (i-k-j order) of MAT_N x MAT_N matrices: f64 multiply-add throughput and strided
 * addressing on data that stays in cache, so the code generator is measured rather than memory bandwidth. */
#include "bench.h"

#define MAT_N 200
static double ma[MAT_N * MAT_N], mb[MAT_N * MAT_N], mc[MAT_N * MAT_N];

/* n: number of matrix products, each from inputs that depend on the round. */
u32 run(i32 n) {
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    for (i32 i = 0; i < MAT_N; i++) {
      for (i32 j = 0; j < MAT_N; j++) {
        ma[i * MAT_N + j] = (double)((i * 7 + j * 3 + r) % 17 - 8) / (double)(j + 1);
        mb[i * MAT_N + j] = (double)((i * 5 + j * 11 + r) % 13 - 6) * 0.25 + 1.0 / (double)(i + 2);
        mc[i * MAT_N + j] = 0.0;
      }
    }
    for (i32 i = 0; i < MAT_N; i++) {
      double *crow = &mc[i * MAT_N];
      for (i32 k = 0; k < MAT_N; k++) {
        double aik = ma[i * MAT_N + k];
        const double *brow = &mb[k * MAT_N];
        for (i32 j = 0; j < MAT_N; j++) crow[j] += aik * brow[j];
      }
    }
    for (i32 i = 0; i < MAT_N * MAT_N; i += 7) h = mix64(h, f64_bits(mc[i]));
  }
  return h;
}
