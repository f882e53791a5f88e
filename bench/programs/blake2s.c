/* BLAKE2s-256 (RFC 7693) over a pseudo-random buffer: 32-bit adds, xors and rotates, little-endian word loads. */
#include "bench.h"

#define MESSAGE_LEN (256 * 1024)
static u8 message[MESSAGE_LEN];

static const u32 blake2s_iv[8] = {0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au,
                                  0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u};

static const u8 sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

typedef struct {
  u32 h[8];
  u32 t;
  u8 block[64];
  u32 filled;
} blake2s_state;

static inline u32 rotr32(u32 x, u32 k) { return x >> k | x << (32 - k); }

static inline u32 load_le32(const u8 *p) {
  return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

#define G(a, b, c, d, x, y)        \
  do {                             \
    v[a] = v[a] + v[b] + (x);      \
    v[d] = rotr32(v[d] ^ v[a], 16); \
    v[c] = v[c] + v[d];            \
    v[b] = rotr32(v[b] ^ v[c], 12); \
    v[a] = v[a] + v[b] + (y);      \
    v[d] = rotr32(v[d] ^ v[a], 8);  \
    v[c] = v[c] + v[d];            \
    v[b] = rotr32(v[b] ^ v[c], 7);  \
  } while (0)

static void compress(blake2s_state *s, const u8 *block, u32 is_last) {
  u32 m[16], v[16];
  for (i32 i = 0; i < 16; i++) m[i] = load_le32(block + 4 * i);
  for (i32 i = 0; i < 8; i++) {
    v[i] = s->h[i];
    v[i + 8] = blake2s_iv[i];
  }
  v[12] ^= s->t;
  if (is_last) v[14] = ~v[14];
  for (i32 round = 0; round < 10; round++) {
    const u8 *sg = sigma[round];
    G(0, 4, 8, 12, m[sg[0]], m[sg[1]]);
    G(1, 5, 9, 13, m[sg[2]], m[sg[3]]);
    G(2, 6, 10, 14, m[sg[4]], m[sg[5]]);
    G(3, 7, 11, 15, m[sg[6]], m[sg[7]]);
    G(0, 5, 10, 15, m[sg[8]], m[sg[9]]);
    G(1, 6, 11, 12, m[sg[10]], m[sg[11]]);
    G(2, 7, 8, 13, m[sg[12]], m[sg[13]]);
    G(3, 4, 9, 14, m[sg[14]], m[sg[15]]);
  }
  for (i32 i = 0; i < 8; i++) s->h[i] ^= v[i] ^ v[i + 8];
}

static void blake2s_init(blake2s_state *s) {
  for (i32 i = 0; i < 8; i++) s->h[i] = blake2s_iv[i];
  s->h[0] ^= 0x01010000u ^ 32u; /* digest length 32, no key, fanout 1, depth 1 */
  s->t = 0;
  s->filled = 0;
}

static void blake2s_update(blake2s_state *s, const u8 *data, u32 len) {
  for (u32 i = 0; i < len; i++) {
    if (s->filled == 64) { /* only compress a full block once more input arrives: the last block is special */
      s->t += 64;
      compress(s, s->block, 0);
      s->filled = 0;
    }
    s->block[s->filled++] = data[i];
  }
}

static void blake2s_final(blake2s_state *s, u32 digest[8]) {
  s->t += s->filled;
  while (s->filled < 64) s->block[s->filled++] = 0;
  compress(s, s->block, 1);
  for (i32 i = 0; i < 8; i++) digest[i] = s->h[i];
}

/* n: number of passes over the MESSAGE_LEN-byte buffer; each pass's digest is folded into the next pass's input. */
u32 run(i32 n) {
  /* Known-answer self-test (RFC 7693 appendix B): a broken engine must not produce a plausible checksum. */
  static const u32 abc_digest0 = 0x8C5E8C50u; /* first word of BLAKE2s-256("abc") = 50 8C 5E 8C ..., little-endian */
  static const u32 abc_digest7 = 0x82596786u; /* last word: ... 86 67 59 82 */
  blake2s_state abc;
  u32 abc_digest[8];
  blake2s_init(&abc);
  blake2s_update(&abc, (const u8 *)"abc", 3);
  blake2s_final(&abc, abc_digest);
  if (abc_digest[0] != abc_digest0 || abc_digest[7] != abc_digest7) return 0;

  u32 seed = 0x6d2b79f5u;
  for (u32 i = 0; i < MESSAGE_LEN; i++) message[i] = (u8)(rng_next(&seed) >> 24);
  u32 digest[8] = {0};
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    for (i32 i = 0; i < 8; i++) message[(u32)r * 64u % MESSAGE_LEN + (u32)i] ^= (u8)digest[i];
    blake2s_state s;
    blake2s_init(&s);
    blake2s_update(&s, message, MESSAGE_LEN - (u32)(r & 7)); /* odd lengths exercise the padded final block */
    blake2s_final(&s, digest);
    for (i32 i = 0; i < 8; i++) h = mix32(h, digest[i]);
  }
  return h;
}
