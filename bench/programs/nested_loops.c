/* Six nested counted loops around a tiny body: loop headers and back edges dominate (where fuel checks live). */
#include "bench.h"

/* n: the trip count of each of the six loops (n^6 iterations of the innermost body). */
u32 run(i32 n) {
  u32 x = 0x12345678u;
  for (i32 a = 0; a < n; a++)
    for (i32 b = 0; b < n; b++)
      for (i32 c = 0; c < n; c++)
        for (i32 d = 0; d < n; d++)
          for (i32 e = 0; e < n; e++)
            for (i32 f = 0; f < n; f++) {
              /* A data-dependent chain (rotate and xor) that no closed form summarises. */
              x = (x << 5 | x >> 27) ^ (u32)(a + b + c + d + e + f);
            }
  return mix32(0x811c9dc5u, x);
}
