/* memmove/memset/memcpy-heavy code: many copies and fills of mixed sizes and alignments, overlapping both ways,
 * through the word-at-a-time routines of bench.h (what a freestanding MVP wasm module links). */
#include "bench.h"

#define ARENA_LEN (256 * 1024)
static u8 arena[ARENA_LEN];
static u8 scratch[ARENA_LEN];

/* Mostly short operations, some medium, a few long: the shape of real programs' calls. */
static u32 pick_length(u32 *seed) {
  u32 roll = rng_next(seed);
  u32 kind = roll & 15;
  if (kind < 10) return 1 + (roll >> 8) % 64;
  if (kind < 15) return 64 + (roll >> 8) % 4032;
  return 4096 + (roll >> 8) % 61440;
}

/* n: number of rounds of 2048 memory operations each. */
u32 run(i32 n) {
  u32 seed = 0xc2b2ae35u;
  for (u32 i = 0; i < ARENA_LEN; i++) arena[i] = (u8)i ^ (u8)(i >> 8);
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    for (i32 op = 0; op < 2048; op++) {
      u32 len = pick_length(&seed);
      u32 a = rng_next(&seed) % (ARENA_LEN - len);
      u32 b = rng_next(&seed) % (ARENA_LEN - len);
      switch (op & 3) {
        case 0: memset(arena + a, (int)(op ^ r), len); break;
        case 1: memmove(arena + a, arena + b, len); break;
        case 2: /* overlapping by a small shift, in either direction */ {
          u32 shift = 1 + (rng_next(&seed) & 31);
          if (b + shift + len < ARENA_LEN) memmove(arena + b + (op & 4 ? shift : 0), arena + b + (op & 4 ? 0 : shift), len);
          break;
        }
        case 3: memcpy(scratch + b, arena + a, len); memcpy(arena + (a ^ 1) % (ARENA_LEN - len), scratch + b, len); break;
      }
    }
    /* Fold the whole arena into the checksum once per round (word loads). */
    u32 sum = 0;
    for (u32 i = 0; i < ARENA_LEN; i += 4) sum = sum * 33u + ((u32)arena[i] | (u32)arena[i + 1] << 8 | (u32)arena[i + 2] << 16 | (u32)arena[i + 3] << 24);
    h = mix32(h, sum);
  }
  return h;
}
