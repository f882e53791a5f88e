/* Recursive Fibonacci: call overhead (prologue, epilogue, stack checks, fuel checks at function entry). */
#include "bench.h"

/* noinline keeps the recursive shape a real call in every build, whatever clang's inliner decides. */
__attribute__((noinline)) static u32 fib(u32 k) { return k < 2 ? k : fib(k - 1) + fib(k - 2); }

/* n: the Fibonacci index; work grows by ~1.618x per step. */
u32 run(i32 n) { return mix32(0x811c9dc5u, fib((u32)n)); }
