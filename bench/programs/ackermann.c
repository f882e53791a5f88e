/* Ackermann's function: deep, irregular recursion (call overhead and stack depth up to ~4000 frames). */
#include "bench.h"

__attribute__((noinline)) static u32 ack(u32 m, u32 k) {
  if (m == 0) return k + 1;
  if (k == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, k - 1));
}

/* n: number of ack(3, k) evaluations, k cycling through 6..9 (ack(3, 9) = 4093 takes ~11M calls). */
u32 run(i32 n) {
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) h = mix32(h, ack(3, 6 + (u32)(r & 3)));
  return h;
}
