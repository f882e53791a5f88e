/*
 * A small WASI command that touches what a wasm32-wasi program really uses: argv, the environment, stdio with
 * integer and floating-point formatting (musl's printf, which runs on 64-bit integer arithmetic), malloc/qsort
 * (indirect calls), file I/O through a preopened directory, and the exit code.
 *
 * Usage: demo --in PATH --out PATH [--exit-code N]
 *   Reads the text file PATH, prints computed results and statistics about the text on stdout, writes the text's
 *   lines in reverse order plus a summary line to --out, notes what it did on stderr, and exits with N (default 0).
 *   A missing or unreadable input prints an error on stderr and exits with 2; a bad command line exits with 64.
 *
 * The output is deterministic and the same when built natively (build.sh checks that, which is what makes the
 * expected files an independent oracle): no clocks, no randomness, no libm beyond sqrt (correctly rounded
 * everywhere), no FMA contraction, no long double.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* ---- computations with known answers ---- */

static uint64_t fib(unsigned n) {
  uint64_t a = 0, b = 1;
  for (unsigned i = 0; i < n; i++) {
    uint64_t t = a + b;
    a = b;
    b = t;
  }
  return a;
}

static unsigned count_primes(unsigned limit) {
  unsigned char *composite = calloc(limit + 1, 1);
  if (!composite) return 0;
  unsigned count = 0;
  for (unsigned i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    for (unsigned j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  free(composite);
  return count;
}

/* (base^exp) mod m with 64-bit operands: exercises i64 mul/rem (m < 2^32 so products fit). */
static uint64_t mod_pow(uint64_t base, uint64_t exp, uint64_t m) {
  uint64_t r = 1 % m;
  base %= m;
  while (exp) {
    if (exp & 1) r = r * base % m;
    base = base * base % m;
    exp >>= 1;
  }
  return r;
}

static unsigned longest_collatz(unsigned below, unsigned *steps_out) {
  unsigned best = 1, best_steps = 0;
  for (unsigned start = 1; start < below; start++) {
    uint64_t n = start;
    unsigned steps = 0;
    while (n != 1) {
      n = (n & 1) ? 3 * n + 1 : n / 2;
      steps++;
    }
    if (steps > best_steps) {
      best_steps = steps;
      best = start;
    }
  }
  *steps_out = best_steps;
  return best;
}

static void print_numbers(void) {
  printf("== numbers ==\n");
  printf("fib(90) = %" PRIu64 "\n", fib(90));
  printf("fib(90) hex = 0x%016" PRIx64 "\n", fib(90));
  printf("primes <= 100000: %u\n", count_primes(100000));
  printf("3^1000003 mod 4294967291 = %" PRIu64 "\n", mod_pow(3, 1000003, 4294967291u));
  unsigned steps;
  unsigned start = longest_collatz(10000, &steps);
  printf("longest collatz below 10000: %u (%u steps)\n", start, steps);
  int32_t neg = -123456789;
  printf("ints: [%d] [%+d] [%8d] [%-8d] [%08x] [%o] [%u]\n", -42, 42, 12345, 12345, 0xbeefu, 511u, (unsigned)neg);
  printf("int64 extremes: %" PRId64 " %" PRId64 " %" PRIu64 "\n", INT64_MIN, INT64_MAX, UINT64_MAX);

  printf("== floats ==\n");
  double basel = 0.0;
  for (int k = 1; k <= 100000; k++) basel += 1.0 / ((double)k * (double)k);
  double pi_basel = sqrt(6.0 * basel);
  double leibniz = 0.0;
  for (int k = 0; k < 200000; k++) leibniz += (k & 1 ? -4.0 : 4.0) / (2.0 * k + 1.0);
  printf("sum 1/k^2 (k<=1e5) = %.15f\n", basel);
  printf("pi from basel = %.12f, from leibniz = %.12f\n", pi_basel, leibniz);
  printf("sqrt(2) = %.17g  %e  %a\n", sqrt(2.0), sqrt(2.0), sqrt(2.0));
  printf("formats: [%f] [%.2f] [%10.3f] [%-10.1f|] [%g] [%g] [%g]\n", 3.14159265, 2.675, -1.5, 0.25, 1e-5, 123456789.0,
         100.0);
  printf("extremes: %.17g %.17g %g %e\n", 1.7976931348623157e308, 4.9406564584124654e-324, -0.0, 6.02214076e23);
  float f = 16777217.0f; /* not representable: rounds to 16777216 */
  printf("float: %.1f %.9g\n", (double)f, (double)(1.0f / 3.0f));
}

/* ---- args and environment ---- */

static void print_args_env(int argc, char **argv) {
  printf("== args ==\n");
  printf("argc = %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d] = \"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  printf("== environment ==\n");
  int n = 0;
  for (char **e = environ; *e; e++) printf("env[%d] = %s\n", n++, *e);
  const char *greeting = getenv("GREETING");
  printf("GREETING is %s\n", greeting ? greeting : "(unset)");
  const char *missing = getenv("KINDLING_SURELY_UNSET");
  printf("KINDLING_SURELY_UNSET is %s\n", missing ? missing : "(unset)");
}

/* ---- text statistics ---- */

typedef struct {
  char *word;
  unsigned count;
} WordCount;

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int by_count_then_word(const void *a, const void *b) {
  const WordCount *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->word, y->word);
}

static uint32_t fnv1a(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
  }
  return ~c;
}

/* Reads a whole file; returns NULL with errno set on failure. */
static char *read_file(const char *path, size_t *size_out) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 256, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (len + 1 >= cap) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    if (got == 0) break;
    len += got;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    errno = EIO;
    return NULL;
  }
  buf[len] = 0;
  *size_out = len;
  return buf;
}

static int is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\''; }

/* Prints statistics of `text`; returns its lines (pointers into `text`, which is modified) through lines_out. */
static size_t analyse_text(char *text, size_t size, char ***lines_out) {
  printf("== text ==\n");
  printf("bytes = %zu, fnv1a = 0x%08" PRIx32 ", crc32 = 0x%08" PRIx32 "\n", size, fnv1a((unsigned char *)text, size),
         crc32((unsigned char *)text, size));

  /* Words, lowercased, sorted, then counted. */
  size_t nwords = 0, cap = 16;
  char **words = malloc(cap * sizeof *words);
  unsigned letters[26] = {0};
  for (size_t i = 0; i < size;) {
    if (!is_word_char(text[i])) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < size && is_word_char(text[i])) i++;
    char *w = malloc(i - start + 1);
    for (size_t k = start; k < i; k++) {
      char c = text[k];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      if (c >= 'a' && c <= 'z') letters[c - 'a']++;
      w[k - start] = c;
    }
    w[i - start] = 0;
    if (nwords == cap) words = realloc(words, (cap *= 2) * sizeof *words);
    words[nwords++] = w;
  }
  qsort(words, nwords, sizeof *words, by_string);
  WordCount *counts = malloc((nwords ? nwords : 1) * sizeof *counts);
  size_t ndistinct = 0;
  double total_len = 0;
  for (size_t i = 0; i < nwords; i++) {
    total_len += (double)strlen(words[i]);
    if (ndistinct > 0 && strcmp(counts[ndistinct - 1].word, words[i]) == 0) {
      counts[ndistinct - 1].count++;
    } else {
      counts[ndistinct].word = words[i];
      counts[ndistinct].count = 1;
      ndistinct++;
    }
  }
  qsort(counts, ndistinct, sizeof *counts, by_count_then_word);
  printf("words = %zu, distinct = %zu, mean length = %.4f\n", nwords, ndistinct, nwords ? total_len / nwords : 0.0);
  printf("top words:");
  for (size_t i = 0; i < ndistinct && i < 5; i++) printf(" %s=%u", counts[i].word, counts[i].count);
  printf("\n");
  printf("letters:");
  for (int c = 0; c < 26; c++)
    if (letters[c]) printf(" %c%u", 'a' + c, letters[c]);
  printf("\n");
  for (size_t i = 0; i < nwords; i++) free(words[i]);
  free(words);
  free(counts);

  /* Lines, split in place. */
  size_t nlines = 0, lcap = 16;
  char **lines = malloc(lcap * sizeof *lines);
  char *p = text;
  while (*p) {
    char *nl = strchr(p, '\n');
    if (nlines == lcap) lines = realloc(lines, (lcap *= 2) * sizeof *lines);
    lines[nlines++] = p;
    if (!nl) break;
    *nl = 0;
    p = nl + 1;
  }
  size_t longest = 0;
  for (size_t i = 1; i < nlines; i++)
    if (strlen(lines[i]) > strlen(lines[longest])) longest = i;
  printf("lines = %zu, longest = line %zu (%zu bytes)\n", nlines, nlines ? longest + 1 : 0,
         nlines ? strlen(lines[longest]) : 0);
  *lines_out = lines;
  return nlines;
}

static int write_reversed(const char *path, char **lines, size_t nlines, uint32_t crc) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  for (size_t i = nlines; i-- > 0;) fprintf(f, "%s\n", lines[i]);
  fprintf(f, "-- %zu lines reversed, input crc32 0x%08" PRIx32 "\n", nlines, crc);
  long written = ftell(f);
  if (fclose(f) != 0) return -1;
  return (int)written;
}

int main(int argc, char **argv) {
  const char *in_path = NULL, *out_path = NULL;
  int exit_code = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--in") == 0 && i + 1 < argc) {
      in_path = argv[++i];
    } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
      out_path = argv[++i];
    } else if (strcmp(argv[i], "--exit-code") == 0 && i + 1 < argc) {
      exit_code = atoi(argv[++i]);
    } else {
      fprintf(stderr, "demo: unknown argument '%s'\nusage: demo --in PATH --out PATH [--exit-code N]\n", argv[i]);
      return 64;
    }
  }
  if (!in_path || !out_path) {
    fprintf(stderr, "usage: demo --in PATH --out PATH [--exit-code N]\n");
    return 64;
  }

  print_args_env(argc, argv);
  print_numbers();
  fflush(stdout);

  size_t size = 0;
  char *text = read_file(in_path, &size);
  if (!text) {
    fprintf(stderr, "demo: cannot read '%s': %s\n", in_path, strerror(errno));
    return 2;
  }
  uint32_t crc = crc32((unsigned char *)text, size);
  char **lines;
  size_t nlines = analyse_text(text, size, &lines);
  int written = write_reversed(out_path, lines, nlines, crc);
  if (written < 0) {
    fprintf(stderr, "demo: cannot write '%s': %s\n", out_path, strerror(errno));
    return 2;
  }
  fprintf(stderr, "demo: wrote %d bytes to %s\n", written, out_path);
  free(lines);
  free(text);
  if (exit_code != 0) {
    printf("exiting with code %d\n", exit_code);
    exit(exit_code); /* flushes stdio, then WASI proc_exit */
  }
  printf("done\n");
  return 0;
}
