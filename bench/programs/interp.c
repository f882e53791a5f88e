/* A switch-dispatched stack-machine interpreter (the classic `for (;;) switch (*pc++)` loop, lowered to br_table)
 * running a bytecode program that sums Collatz trajectory lengths. */
#include "bench.h"

enum {
  OP_HALT, OP_CONST, OP_LOAD, OP_STORE, OP_INC, OP_DUP, OP_DROP, OP_SWAP,
  OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR_U,
  OP_EQ, OP_LT_U, OP_JMP, OP_JZ, OP_JNZ,
};

#define LOCAL_COUNT 8
#define STACK_SIZE 64

/* Bytecode: locals 0 = i, 1 = limit, 2 = x, 3 = total steps, 4 = hash. Jump operands are absolute word indexes. */
static const i32 collatz_program[] = {
    /*  0 */ OP_CONST, 1, OP_STORE, 0,
    /*  4 outer: */ OP_LOAD, 0, OP_LOAD, 1, OP_LT_U, OP_JZ, 69,
    /* 11 */ OP_LOAD, 0, OP_STORE, 2,
    /* 15 inner: */ OP_LOAD, 2, OP_CONST, 1, OP_EQ, OP_JNZ, 53,
    /* 22 */ OP_LOAD, 2, OP_CONST, 1, OP_AND, OP_JZ, 42,
    /* 29 odd: x = 3x + 1 */ OP_LOAD, 2, OP_DUP, OP_DUP, OP_ADD, OP_ADD, OP_CONST, 1, OP_ADD, OP_STORE, 2, OP_JMP, 49,
    /* 42 even: x = x >> 1 */ OP_LOAD, 2, OP_CONST, 1, OP_SHR_U, OP_STORE, 2,
    /* 49 count: */ OP_INC, 3, OP_JMP, 15,
    /* 53 inner_end: hash = hash * 31 ^ total */ OP_LOAD, 4, OP_CONST, 31, OP_MUL, OP_LOAD, 3, OP_XOR, OP_STORE, 4,
    /* 63 */ OP_INC, 0, OP_JMP, 4, OP_HALT, OP_HALT,
    /* 69 end: */ OP_LOAD, 4, OP_LOAD, 3, OP_SWAP, OP_DROP, OP_LOAD, 3, OP_SUB, OP_LOAD, 3, OP_OR, OP_LOAD, 4,
    /* 83 */ OP_SHL, OP_DROP, OP_LOAD, 4, OP_HALT,
};

#define PROGRAM_LEN (sizeof collatz_program / sizeof collatz_program[0])
static i32 code[PROGRAM_LEN];

/* Runs bytecode until OP_HALT; returns the top of the stack. */
__attribute__((noinline)) static u32 execute(const i32 *pc_start, u32 *locals) {
  u32 stack[STACK_SIZE];
  u32 *sp = stack; /* points one past the top */
  const i32 *pc = pc_start;
  for (;;) {
    switch (*pc++) {
      case OP_HALT: return sp > stack ? sp[-1] : 0;
      case OP_CONST: *sp++ = (u32)*pc++; break;
      case OP_LOAD: *sp++ = locals[*pc++]; break;
      case OP_STORE: locals[*pc++] = *--sp; break;
      case OP_INC: locals[*pc++]++; break;
      case OP_DUP: sp[0] = sp[-1]; sp++; break;
      case OP_DROP: sp--; break;
      case OP_SWAP: { u32 t = sp[-1]; sp[-1] = sp[-2]; sp[-2] = t; break; }
      case OP_ADD: sp--; sp[-1] += sp[0]; break;
      case OP_SUB: sp--; sp[-1] -= sp[0]; break;
      case OP_MUL: sp--; sp[-1] *= sp[0]; break;
      case OP_AND: sp--; sp[-1] &= sp[0]; break;
      case OP_OR: sp--; sp[-1] |= sp[0]; break;
      case OP_XOR: sp--; sp[-1] ^= sp[0]; break;
      case OP_SHL: sp--; sp[-1] <<= sp[0] & 31; break;
      case OP_SHR_U: sp--; sp[-1] >>= sp[0] & 31; break;
      case OP_EQ: sp--; sp[-1] = sp[-1] == sp[0]; break;
      case OP_LT_U: sp--; sp[-1] = sp[-1] < sp[0]; break;
      case OP_JMP: pc = pc_start + *pc; break;
      case OP_JZ: { i32 target = *pc++; if (*--sp == 0) pc = pc_start + target; break; }
      case OP_JNZ: { i32 target = *pc++; if (*--sp != 0) pc = pc_start + target; break; }
      default: return 0xDEADBEEFu; /* corrupt bytecode */
    }
  }
}

/* n: number of interpreter executions, each summing Collatz lengths of 1 .. 3000 + (r & 7). */
u32 run(i32 n) {
  /* The bytecode lives in writable memory, as a real interpreter's would. */
  for (u32 i = 0; i < PROGRAM_LEN; i++) code[i] = collatz_program[i];
  u32 h = 0x811c9dc5u;
  for (i32 r = 0; r < n; r++) {
    u32 locals[LOCAL_COUNT] = {0};
    locals[1] = 3000u + (u32)(r & 7);
    locals[4] = (u32)r;
    h = mix32(h, execute(code, locals));
    h = mix32(h, locals[3]);
  }
  return h;
}
