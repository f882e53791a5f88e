/* Heapsort of pseudo-random 32-bit keys: data-dependent branches and indexed loads/stores. */
#include "bench.h"

#define HEAP_LEN 100000
static u32 keys[HEAP_LEN];

static void sift_down(u32 *a, u32 root, u32 len) {
  u32 value = a[root];
  for (;;) {
    u32 child = 2 * root + 1;
    if (child >= len) break;
    if (child + 1 < len && a[child + 1] > a[child]) child++;
    if (a[child] <= value) break;
    a[root] = a[child];
    root = child;
  }
  a[root] = value;
}

static void heapsort(u32 *a, u32 len) {
  for (u32 i = len / 2; i-- > 0;) sift_down(a, i, len);
  for (u32 end = len - 1; end > 0; end--) {
    u32 top = a[0];
    a[0] = a[end];
    a[end] = top;
    sift_down(a, 0, end);
  }
}

/* n: number of arrays of HEAP_LEN keys sorted, each filled from a different seed. */
u32 run(i32 n) {
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    u32 seed = 0x9e3779b9u ^ (u32)r;
    for (u32 i = 0; i < HEAP_LEN; i++) keys[i] = rng_next(&seed);
    heapsort(keys, HEAP_LEN);
    u32 sorted = 1;
    for (u32 i = 1; i < HEAP_LEN; i++) sorted &= keys[i - 1] <= keys[i];
    h = mix32(mix32(mix32(h, sorted), keys[0]), keys[HEAP_LEN / 2] ^ keys[HEAP_LEN - 1]);
  }
  return h;
}
