/* Sieve of Eratosthenes over a byte array: strided stores, a tight scan, memset of a large buffer. */
#include "bench.h"

#define SIEVE_MAX (1u << 22)
static u8 composite[SIEVE_MAX];

/* n: number of sieve passes; each pass uses a slightly different limit so no pass repeats another. */
u32 run(i32 n) {
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    u32 limit = SIEVE_MAX - (u32)(r & 15) * 977u;
    memset(composite, 0, limit);
    for (u32 i = 2; i * i < limit; i++) {
      if (composite[i]) continue;
      for (u32 j = i * i; j < limit; j += i) composite[j] = 1;
    }
    u32 count = 0, sum = 0;
    for (u32 i = 2; i < limit; i++) {
      if (!composite[i]) {
        count++;
        sum += i;
      }
    }
    h = mix32(mix32(h, count), sum);
  }
  return h;
}
