/* Recursive quicksort (median of three, insertion sort for short runs) of pseudo-random signed keys. */
#include "bench.h"

#define SORT_LEN 200000
static i32 items[SORT_LEN];

static void insertion_sort(i32 *a, i32 lo, i32 hi) {
  for (i32 i = lo + 1; i <= hi; i++) {
    i32 v = a[i];
    i32 j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap(i32 *a, i32 i, i32 j) {
  i32 t = a[i];
  a[i] = a[j];
  a[j] = t;
}

__attribute__((noinline)) static void quicksort(i32 *a, i32 lo, i32 hi) {
  while (hi - lo > 16) {
    i32 mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    i32 pivot = a[mid];
    i32 i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    /* Recurse into the smaller half, loop on the larger: stack depth stays O(log n). */
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

/* n: number of arrays of SORT_LEN keys sorted, each filled from a different seed. */
u32 run(i32 n) {
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    u32 seed = 0x2545f491u + (u32)r * 7919u;
    for (i32 i = 0; i < SORT_LEN; i++) items[i] = (i32)(rng_next(&seed) >> 1) - 0x20000000;
    quicksort(items, 0, SORT_LEN - 1);
    u32 sorted = 1;
    for (i32 i = 1; i < SORT_LEN; i++) sorted &= items[i - 1] <= items[i];
    h = mix32(mix32(mix32(h, sorted), (u32)items[0]), (u32)items[SORT_LEN / 3] ^ (u32)items[SORT_LEN - 1]);
  }
  return h;
}
