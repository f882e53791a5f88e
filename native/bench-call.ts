// Measures the cost of crossing between JS and machine code through koffi. Not a test: prints numbers.
//
// Run from the repository root (compiles only native/ into dist/, which is git-ignored):
//   npx tsc --outDir dist/native-bench --rootDir . --module nodenext --moduleResolution nodenext --target es2022 \
//     --strict --skipLibCheck --types node native/bench-call.ts && node dist/native-bench/native/bench-call.js

import { registerCallback } from './callback.js';
import { nativeFunction } from './call.js';
import { allocateCode, mapCode } from './code-memory.js';

const IDENTITY_32 = [0x89, 0xf8, 0xc3]; // mov eax, edi; ret
const ADD_I32 = [0x89, 0xf8, 0x01, 0xf0, 0xc3]; // mov eax, edi; add eax, esi; ret
const IDENTITY_64 = [0x48, 0x89, 0xf8, 0xc3]; // mov rax, rdi; ret
const XOR_EAX_RET = [0x31, 0xc0, 0xc3]; // xor eax, eax; ret — shape of the array-call entry (vmctx, callee, values*) -> i32
// sub rsp, 8; movabs rax, imm64; call rax; add rsp, 8; ret — forwards to the callback at offset 6
const THUNK = [0x48, 0x83, 0xec, 0x08, 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd0, 0x48, 0x83, 0xc4, 0x08, 0xc3];

function measure(label: string, iterations: number, body: (i: number) => number): void {
  // Warm up so V8 optimises the loop and koffi's call path is hot, then take the best of 5 runs.
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += body(i);
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink += body(i);
    const ns = Number(process.hrtime.bigint() - start) / iterations;
    if (ns < best) best = ns;
  }
  console.log(`${label.padEnd(66)} ${best.toFixed(1).padStart(7)} ns/call   (sink ${sink & 1})`);
}

const identity = nativeFunction(mapCode(IDENTITY_32).address, { params: ['i32'], result: 'i32' });
const add = nativeFunction(mapCode(ADD_I32).address, { params: ['i32', 'i32'], result: 'i32' });
const identity64 = nativeFunction(mapCode(IDENTITY_64).address, { params: ['i64'], result: 'i64' });
const entry = nativeFunction(mapCode(XOR_EAX_RET).address, { params: ['ptr', 'ptr', 'ptr'], result: 'i32' });
const entryU64 = nativeFunction(mapCode(XOR_EAX_RET).address, { params: ['u64', 'u64', 'u64'], result: 'i32' });
const values = new BigUint64Array(8);
const vmctx = 0x10000n;
const callee = 0x20000n;
const valuesAddress = 0x30000;

const callback = registerCallback((x: number) => x + 1, { params: ['i32'], result: 'i32' });
const thunk = allocateCode(THUNK.length);
thunk.write(0, THUNK);
thunk.writeU64(6, callback.address);
thunk.seal();
const viaCallback = nativeFunction(thunk.address, { params: ['i32'], result: 'i32' });

measure('JS → machine code (i32) -> i32', 3_000_000, (i) => identity(i));
measure('JS → machine code (i32, i32) -> i32', 3_000_000, (i) => add(i, 1));
measure('JS → machine code (i64) -> i64, bigint in and out', 1_000_000, (i) => Number(identity64(BigInt(i)) & 1n));
measure('JS → machine code (ptr, ptr, ptr) -> i32, bigint pointers', 2_000_000, () => entry(vmctx, callee, valuesAddress));
measure('JS → machine code (u64, u64, u64) -> i32, number addresses', 2_000_000, () => entryU64(0x10000, 0x20000, valuesAddress));
measure('JS → machine code (ptr, ptr, ptr) -> i32, typed array as values*', 2_000_000, () => entry(vmctx, callee, values));
measure('JS → machine code → JS callback (i32) -> i32, round trip', 500_000, (i) => viaCallback(i));
