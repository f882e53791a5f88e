/* Native (x86-64, libc) driver for the benchmark programs: `prog N` prints run(N) as 0x%08x. build.sh uses it to
 * cross-check the wasm checksums against a second, independent code generator. */
#include <stdio.h>
#include <stdlib.h>

unsigned int run(int n);

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s N\n", argv[0]);
    return 2;
  }
  printf("0x%08x\n", run(atoi(argv[1])));
  return 0;
}
