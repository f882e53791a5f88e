/* Base64 encode and decode (RFC 4648, with padding) of a pseudo-random buffer: table lookups, shifts, byte stores
 * and a validating decoder with data-dependent branches. */
#include "bench.h"

#define RAW_LEN (192 * 1024)
#define TEXT_LEN ((RAW_LEN + 2) / 3 * 4)
static u8 raw[RAW_LEN], text[TEXT_LEN], decoded[RAW_LEN];
static const char alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static u8 decode_table[256]; /* 6-bit value, or 0xFF for bytes outside the alphabet */

static u32 encode(const u8 *in, u32 len, u8 *out) {
  u32 o = 0, i = 0;
  for (; i + 3 <= len; i += 3) {
    u32 v = (u32)in[i] << 16 | (u32)in[i + 1] << 8 | in[i + 2];
    out[o++] = (u8)alphabet[v >> 18];
    out[o++] = (u8)alphabet[(v >> 12) & 63];
    out[o++] = (u8)alphabet[(v >> 6) & 63];
    out[o++] = (u8)alphabet[v & 63];
  }
  if (len - i == 1) {
    u32 v = (u32)in[i] << 16;
    out[o++] = (u8)alphabet[v >> 18];
    out[o++] = (u8)alphabet[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  } else if (len - i == 2) {
    u32 v = (u32)in[i] << 16 | (u32)in[i + 1] << 8;
    out[o++] = (u8)alphabet[v >> 18];
    out[o++] = (u8)alphabet[(v >> 12) & 63];
    out[o++] = (u8)alphabet[(v >> 6) & 63];
    out[o++] = '=';
  }
  return o;
}

/* Returns the decoded length, or 0xFFFFFFFF for malformed input. */
static u32 decode(const u8 *in, u32 len, u8 *out) {
  if (len % 4 != 0) return 0xFFFFFFFFu;
  u32 o = 0;
  for (u32 i = 0; i < len; i += 4) {
    u32 a = decode_table[in[i]], b = decode_table[in[i + 1]];
    if (a > 63 || b > 63) return 0xFFFFFFFFu;
    out[o++] = (u8)(a << 2 | b >> 4);
    if (in[i + 2] == '=') {
      if (i + 4 != len || in[i + 3] != '=') return 0xFFFFFFFFu;
      break;
    }
    u32 c = decode_table[in[i + 2]];
    if (c > 63) return 0xFFFFFFFFu;
    out[o++] = (u8)(b << 4 | c >> 2);
    if (in[i + 3] == '=') {
      if (i + 4 != len) return 0xFFFFFFFFu;
      break;
    }
    u32 d = decode_table[in[i + 3]];
    if (d > 63) return 0xFFFFFFFFu;
    out[o++] = (u8)(c << 6 | d);
  }
  return o;
}

/* n: number of encode+decode round trips of the RAW_LEN-byte buffer (length varies by pass to cover padding). */
u32 run(i32 n) {
  for (u32 i = 0; i < 256; i++) decode_table[i] = 0xFF;
  for (u32 i = 0; i < 64; i++) decode_table[(u8)alphabet[i]] = (u8)i;
  /* Known-answer self-test: "foobar" <-> "Zm9vYmFy", "fo" <-> "Zm8=". */
  u8 probe[8];
  if (encode((const u8 *)"foobar", 6, probe) != 8 || probe[0] != 'Z' || probe[7] != 'y') return 0;
  if (encode((const u8 *)"fo", 2, probe) != 4 || probe[2] != '8' || probe[3] != '=') return 0;
  if (decode(probe, 4, probe + 4) != 2 || probe[4] != 'f' || probe[5] != 'o') return 0;

  u32 seed = 0x85ebca6bu;
  for (u32 i = 0; i < RAW_LEN; i++) raw[i] = (u8)(rng_next(&seed) >> 24);
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    u32 len = RAW_LEN - (u32)(r % 3);
    raw[(u32)r * 131u % len] ^= (u8)r;
    u32 text_len = encode(raw, len, text);
    u32 decoded_len = decode(text, text_len, decoded);
    u32 diff = decoded_len ^ len;
    for (u32 i = 0; i < len; i++) diff |= (u32)(decoded[i] ^ raw[i]);
    u32 same = diff == 0;
    h = mix32(mix32(h, text_len ^ same << 31), (u32)text[(u32)r % text_len] | (u32)decoded[len - 1] << 8);
  }
  return h;
}
