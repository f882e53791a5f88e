/* Table-driven CRC-32 (IEEE 802.3, reflected, as in zlib) over a pseudo-random buffer: byte loads, table lookups,
 * shifts and xors in a serial dependency chain. */
#include "bench.h"

#define DATA_LEN (1024 * 1024)
static u8 data[DATA_LEN];
static u32 crc_table[256];

static void make_table(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (i32 k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static u32 crc32_update(u32 crc, const u8 *p, u32 len) {
  crc = ~crc;
  for (u32 i = 0; i < len; i++) crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

/* n: number of passes over the DATA_LEN-byte buffer; each pass flips bytes chosen by the previous CRC. */
u32 run(i32 n) {
  make_table();
  /* Known-answer self-test: CRC-32 of "123456789" is 0xCBF43926. */
  if (crc32_update(0, (const u8 *)"123456789", 9) != 0xCBF43926u) return 0;
  u32 seed = 0x1b873593u;
  for (u32 i = 0; i < DATA_LEN; i++) data[i] = (u8)(rng_next(&seed) >> 24);
  u32 crc = 0, h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    data[crc % DATA_LEN] ^= (u8)(r + 1);
    crc = crc32_update(crc, data, DATA_LEN);
    h = mix32(h, crc);
  }
  return h;
}
