// `kindling demo`: what `npm start` runs until the benchmark harness takes over. It assembles a fuel-metered loop
// with kindling's own encoder, prints capstone's disassembly, maps it W^X into executable memory and calls it: the
// loop charges its cost with one read-modify-write `add qword [fuel], imm` whose sign flag feeds the branch — the
// `memory` fuel strategy in miniature.

import { mapCode, nativeFunction } from '../../native/index.js';
import { Assembler, AluOp, Cond, RAX, RCX, RDI, RDX, RSI, mem, memIndex } from '../x64/index.js';
import { disassemble, formatListing, loadDisassembler } from '../x64/disassemble.js';

/** Cost charged per loop iteration: the wasm operators a `fib` loop body would execute. */
const COST_PER_ITERATION = 7;

/** fib(n) over i64; rsi points at an i64 fuel counter (−remaining). Returns −1 when out of fuel. */
function buildMeteredFib(): Assembler {
  const a = new Assembler();
  const loop = a.newLabel();
  const done = a.newLabel();
  const outOfFuel = a.newLabel();
  a.aluRR(AluOp.Xor, 4, RAX, RAX);
  a.movRI(8, RCX, 1);
  a.testRR(8, RDI, RDI);
  a.jcc(Cond.E, done);
  a.align(16);
  a.bind(loop);
  a.aluMI(AluOp.Add, 8, mem(RSI, 0), COST_PER_ITERATION); // fuel += cost; flags from the add itself
  a.jcc(Cond.NS, outOfFuel); // counter reached ≥ 0: out of fuel
  a.lea(8, RDX, memIndex(RAX, RCX, 1));
  a.movRR(8, RAX, RCX);
  a.movRR(8, RCX, RDX);
  a.aluRI(AluOp.Sub, 8, RDI, 1);
  a.jcc(Cond.NE, loop);
  a.bind(done);
  a.ret();
  a.bind(outOfFuel);
  a.movRI(8, RAX, -1);
  a.ret();
  return a;
}

export async function runDemo(): Promise<void> {
  const code = buildMeteredFib().finish();
  await loadDisassembler();
  console.log(`kindling demo: a fuel-metered fib loop, ${code.codeSize} bytes of x86-64 from kindling's encoder\n`);
  console.log(formatListing(disassemble(code.bytes.subarray(0, code.codeSize))));
  const region = mapCode(code.bytes);
  try {
    const fib = nativeFunction(region.address, { params: ['i64', 'ptr'], result: 'i64' });
    const counter = new BigInt64Array(1);
    for (const [n, fuel] of [
      [50, 1000],
      [90, 1000],
      [90, 500],
    ] as const) {
      counter[0] = BigInt(-fuel);
      const result = fib(BigInt(n), counter);
      const consumed = BigInt(fuel) + counter[0]!;
      const shown = result === -1n ? 'out of fuel' : String(result);
      console.log(`fib(${n}) with ${fuel} fuel → ${shown}; fuel consumed ${consumed}`);
    }
  } finally {
    region.free();
  }
}
