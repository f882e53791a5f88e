// Hand-assembled System V x86-64 stubs for the native tests (assembly beside each; checked with capstone).

/** mov eax, edi; add eax, esi; ret — (i32, i32) -> i32 */
export const ADD_I32 = [0x89, 0xf8, 0x01, 0xf0, 0xc3];
/** mov eax, edi; ret — (x) -> x, 32-bit */
export const IDENTITY_32 = [0x89, 0xf8, 0xc3];
/** mov rax, rdi; add rax, rsi; ret — (i64, i64) -> i64 */
export const ADD_I64 = [0x48, 0x89, 0xf8, 0x48, 0x01, 0xf0, 0xc3];
/** mov rax, rdi; ret — (x) -> x, 64-bit / pointer */
export const IDENTITY_64 = [0x48, 0x89, 0xf8, 0xc3];
/** mov rax, rdi; neg rax; ret — (i64) -> -x */
export const NEG_I64 = [0x48, 0x89, 0xf8, 0x48, 0xf7, 0xd8, 0xc3];
/** addsd xmm0, xmm1; ret — (f64, f64) -> f64 */
export const ADD_F64 = [0xf2, 0x0f, 0x58, 0xc1, 0xc3];
/** mulsd xmm0, xmm1; ret — (f64, f64) -> f64 */
export const MUL_F64 = [0xf2, 0x0f, 0x59, 0xc1, 0xc3];
/** addss xmm0, xmm1; ret — (f32, f32) -> f32 */
export const ADD_F32 = [0xf3, 0x0f, 0x58, 0xc1, 0xc3];
/** mov [rdi], esi; ret — (ptr, i32) -> void */
export const STORE_U32 = [0x89, 0x37, 0xc3];
/** mov eax, [rdi]; ret — (ptr) -> u32 */
export const LOAD_U32 = [0x8b, 0x07, 0xc3];

/**
 * A forwarding thunk: calls the function whose address sits in the imm64 at THUNK_TARGET_OFFSET with the
 * arguments untouched, and returns what it returns.
 *   48 83 ec 08                  sub rsp, 8          ; keep rsp 16-byte aligned at the call
 *   48 b8 <imm64>                movabs rax, target
 *   ff d0                        call rax
 *   48 83 c4 08                  add rsp, 8
 *   c3                           ret
 */
export const THUNK = [0x48, 0x83, 0xec, 0x08, 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd0, 0x48, 0x83, 0xc4, 0x08, 0xc3];
export const THUNK_TARGET_OFFSET = 6;

/**
 * (i32 a, ptr fn) -> i32: returns fn(a, 10) + 1, the function pointer passed in rsi.
 *   48 83 ec 08         sub rsp, 8
 *   48 89 f0            mov rax, rsi
 *   be 0a 00 00 00      mov esi, 10
 *   ff d0               call rax
 *   83 c0 01            add eax, 1
 *   48 83 c4 08         add rsp, 8
 *   c3                  ret
 */
export const CALL_ARG_FN = [
  0x48, 0x83, 0xec, 0x08, 0x48, 0x89, 0xf0, 0xbe, 0x0a, 0x00, 0x00, 0x00, 0xff, 0xd0, 0x83, 0xc0, 0x01, 0x48, 0x83, 0xc4, 0x08, 0xc3,
];
