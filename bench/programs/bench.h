/*
 * Shared helpers for kindling's benchmark programs.
 *
 * The programs are freestanding C: no libc, no WASI. Each one defines `u32 run(i32 n)` that does the work for size n
 * and returns a checksum of everything it computed, so no engine can skip work and every engine's answer can be
 * checked against bench/programs/manifest.json. The same sources also build natively (x86-64, with libc) so the build
 * script can cross-check the wasm checksums against an independent compiler backend.
 */
#ifndef KINDLING_BENCH_H
#define KINDLING_BENCH_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int i32;
typedef signed long long i64;
typedef __SIZE_TYPE__ usize;
/* For word-at-a-time access to bytes of any type (as libc implementations do) without breaking strict aliasing. */
typedef u32 __attribute__((may_alias)) u32_alias;

/* The entry every program defines; exported by name through the linker (`--export=run`). */
u32 run(i32 n);

/* xorshift32: tiny, fast and identical on every target, so inputs are the same everywhere. Never seed with 0. */
static inline u32 rng_next(u32 *state) {
  u32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* FNV-1a style mixing of one 32-bit word into a running checksum. */
static inline u32 mix32(u32 h, u32 v) {
  h ^= v;
  h *= 0x01000193u;
  return h ^ (h >> 15);
}

static inline u32 mix64(u32 h, u64 v) { return mix32(mix32(h, (u32)v), (u32)(v >> 32)); }

/* Bit pattern of a double: checksums over floats must be exact, not rounded. */
static inline u64 f64_bits(double d) {
  u64 bits;
  __builtin_memcpy(&bits, &d, sizeof bits);
  return bits;
}

#if defined(__wasm__)
/*
 * clang turns loops and struct copies into calls to memcpy/memmove/memset, which a freestanding wasm module must define
 * itself (MVP wasm has no bulk-memory instructions; we target MVP so every engine can run these). These follow the
 * shape of small libc implementations: byte loops at the edges, 32-bit words in the aligned middle. `no_builtin` keeps
 * clang from recognising their own loops as calls to themselves; `noinline` keeps them real calls, as a libc linked
 * without LTO would be.
 */
__attribute__((no_builtin, noinline)) void *memset(void *dest, int c, usize n) {
  u8 *d = (u8 *)dest;
  u8 byte = (u8)c;
  while (n > 0 && ((usize)d & 3) != 0) {
    *d++ = byte;
    n--;
  }
  u32 word = byte * 0x01010101u;
  while (n >= 16) {
    ((u32_alias *)d)[0] = word;
    ((u32_alias *)d)[1] = word;
    ((u32_alias *)d)[2] = word;
    ((u32_alias *)d)[3] = word;
    d += 16;
    n -= 16;
  }
  while (n >= 4) {
    *(u32_alias *)d = word;
    d += 4;
    n -= 4;
  }
  while (n > 0) {
    *d++ = byte;
    n--;
  }
  return dest;
}

/* Forward copy, also correct for overlapping ranges with dest below src (so memmove can use it; memcpy's `restrict`
 * would not allow that). */
__attribute__((no_builtin)) static void copy_forward(u8 *d, const u8 *s, usize n) {
  if ((((usize)d ^ (usize)s) & 3) == 0) {
    while (n > 0 && ((usize)d & 3) != 0) {
      *d++ = *s++;
      n--;
    }
    while (n >= 16) {
      ((u32_alias *)d)[0] = ((const u32_alias *)s)[0];
      ((u32_alias *)d)[1] = ((const u32_alias *)s)[1];
      ((u32_alias *)d)[2] = ((const u32_alias *)s)[2];
      ((u32_alias *)d)[3] = ((const u32_alias *)s)[3];
      d += 16;
      s += 16;
      n -= 16;
    }
    while (n >= 4) {
      *(u32_alias *)d = *(const u32_alias *)s;
      d += 4;
      s += 4;
      n -= 4;
    }
  }
  while (n > 0) {
    *d++ = *s++;
    n--;
  }
}

__attribute__((no_builtin, noinline)) void *memcpy(void *restrict dest, const void *restrict src, usize n) {
  copy_forward((u8 *)dest, (const u8 *)src, n);
  return dest;
}

__attribute__((no_builtin, noinline)) void *memmove(void *dest, const void *src, usize n) {
  u8 *d = (u8 *)dest;
  const u8 *s = (const u8 *)src;
  if (d == s || n == 0) return dest;
  if (d < s || d >= s + n) { /* no harmful overlap: copy forwards */
    copy_forward(d, s, n);
    return dest;
  }
  /* Overlap with dest above src: copy backwards, words when both ends share alignment. */
  d += n;
  s += n;
  if ((((usize)d ^ (usize)s) & 3) == 0) {
    while (n > 0 && ((usize)d & 3) != 0) {
      *--d = *--s;
      n--;
    }
    while (n >= 4) {
      d -= 4;
      s -= 4;
      *(u32_alias *)d = *(const u32_alias *)s;
      n -= 4;
    }
  }
  while (n > 0) {
    *--d = *--s;
    n--;
  }
  return dest;
}
#else
/* Native cross-check build: libc provides them. */
void *memset(void *dest, int c, usize n);
void *memcpy(void *restrict dest, const void *restrict src, usize n);
void *memmove(void *dest, const void *src, usize n);
#endif

#endif /* KINDLING_BENCH_H */
