// Encode throughput (a script, not a test): a typical instruction mix (moves, ALU with imm8/imm32, loads/stores
// with SIB, compare+branch, SSE) emitted into one buffer and finished; prints the best of 5 rounds.
// Run: npm run build && node dist/scripts/bench-x64-encode.js

import { Assembler } from '../src/x64/assembler.js';
import { mem, memIndex } from '../src/x64/amode.js';
import { Cond } from '../src/x64/condition-codes.js';
import { AluOp, SseOp } from '../src/x64/opcodes.js';

function emitMix(a: Assembler, blocks: number): number {
  const m1 = mem(5, -16);
  const m2 = memIndex(12, 1, 8, 0x40);
  let count = 0;
  let prev = a.newLabel();
  a.bind(prev);
  for (let i = 0; i < blocks; i++) {
    const r = i & 15;
    a.movRR(8, r, (r + 3) & 15);
    a.aluRI(AluOp.Add, 4, r, i & 0xff);
    a.aluRI(AluOp.Sub, 8, (r + 1) & 15, 0x12345);
    a.movRM(8, (r + 2) & 15, m1);
    a.movMR(4, m2, r);
    a.aluMI(AluOp.Add, 8, m1, 1);
    a.xmmRR(SseOp.Addsd, 16 + r, 16 + ((r + 1) & 15));
    a.lea(8, r, m2);
    a.aluRR(AluOp.Cmp, 8, r, (r + 5) & 15);
    const next = a.newLabel();
    a.jcc(Cond.NE, (i & 1) === 0 ? prev : next);
    a.bind(next);
    prev = next;
    count += 10;
  }
  a.ret();
  a.finish();
  return count + 1;
}

function main(): void {
  emitMix(new Assembler(), 20_000); // warm up the JIT
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const a = new Assembler();
    const t0 = process.hrtime.bigint();
    const n = emitMix(a, 50_000);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, n / seconds);
  }
  console.log(`x64 encode throughput: ${(best / 1e6).toFixed(1)}M instructions/s (incl. labels, relaxation, finish)`);
}

main();
