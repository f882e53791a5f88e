// Differential test: random IR functions (integer ALU ops, shifts, compares, selects, extensions, heap loads and
// stores of every width, read-modify-write shapes, safe divisions, bit counts, diamonds with block parameters) are
// compiled, run natively, and compared with a small IR interpreter: the result and every byte of the heap must match.
// This exercises the pattern rules (address folding, load-op merging, RMW, flag fusion, cmov) together with register
// allocation under pressure, and the allocation checker runs on every function.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBytes } from '../../native/index.js';
import { I32, I64, IntCC, NONE, Opcode, type IrFunction } from '../../src/ir/index.js';
import { BASELINE_CPU_FEATURES } from '../../src/x64/index.js';
import { ExecModule, HEAP_SIZE, i64Of } from './exec-harness.js';

class Rng {
  constructor(private s: number) {}
  next(n: number): number {
    this.s = (Math.imul(this.s ^ (this.s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return this.s % n;
  }
}

const BIN = ['iadd', 'isub', 'imul', 'band', 'bor', 'bxor', 'ishl', 'ushr', 'sshr', 'rotl', 'rotr'];
const IMM = ['iadd_imm', 'imul_imm', 'band_imm', 'bor_imm', 'bxor_imm', 'ishl_imm', 'ushr_imm', 'sshr_imm', 'rotl_imm'];
const CCS = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];
const IMMS = ['0', '1', '-1', '7', '31', '32', '63', '1000', '-100000', '0x7fffffff', '-2147483648'];

function genFunction(name: string, seed: number): string {
  const r = new Rng(seed);
  let next = 10;
  const lines: string[] = [];
  const pools: Record<string, string[]> = { i64: ['v1', 'v2'], i32: ['v3'] };
  const pick = (t: string): string => {
    const p = pools[t];
    return p[p.length - 1 - r.next(Math.min(p.length, 8))];
  };
  const fresh = (): string => `v${next++}`;
  const def = (t: string, text: string): string => {
    const v = fresh();
    lines.push(`    ${v} = ${text}`);
    pools[t].push(v);
    return v;
  };
  const address = (): [string, number] => {
    const m = fresh();
    lines.push(`    ${m} = band_imm ${pick('i32')}, 0x3ff8`);
    const z = fresh();
    lines.push(`    ${z} = uextend.i64 ${m}`);
    const a = fresh();
    lines.push(`    ${a} = iadd v4, ${z}`);
    return [a, 8 * r.next(8)];
  };
  const op = (): void => {
    const t = r.next(3) === 0 ? 'i32' : 'i64';
    switch (r.next(14)) {
      case 0:
      case 1:
        def(t, `${BIN[r.next(BIN.length)]} ${pick(t)}, ${pick(t)}`);
        return;
      case 2:
      case 3:
        def(t, `${IMM[r.next(IMM.length)]} ${pick(t)}, ${IMMS[r.next(IMMS.length)]}`);
        return;
      case 4: {
        const c = fresh();
        lines.push(`    ${c} = icmp ${CCS[r.next(CCS.length)]} ${pick(t)}, ${pick(t)}`);
        pools.i32.push(c);
        const u = r.next(2) === 0 ? 'i64' : 'i32';
        def(u, `select ${c}, ${pick(u)}, ${pick(u)}`);
        return;
      }
      case 5: {
        const c = fresh();
        lines.push(`    ${c} = icmp_imm ${CCS[r.next(CCS.length)]} ${pick(t)}, ${IMMS[r.next(IMMS.length)]}`);
        pools.i32.push(c);
        return;
      }
      case 6:
        if (r.next(3) === 0) def('i64', `uextend.i64 ${pick('i32')}`);
        else if (r.next(2) === 0) def('i64', `sextend.i64 ${pick('i32')}`);
        else def('i32', `ireduce.i32 ${pick('i64')}`);
        return;
      case 7: {
        const [a, off] = address();
        const kinds = t === 'i64'
          ? ['load.i64', 'uload8.i64', 'sload8.i64', 'uload16.i64', 'sload16.i64', 'uload32.i64', 'sload32.i64']
          : ['load.i32', 'uload8.i32', 'sload8.i32', 'uload16.i32', 'sload16.i32'];
        const loaded = def(t, `${kinds[r.next(kinds.length)]} heap ${a}+${off}`);
        if (r.next(2) === 0) def(t, `iadd ${pick(t)}, ${loaded}`); // load-op candidate
        return;
      }
      case 8: {
        const [a, off] = address();
        const kinds = t === 'i64' ? ['store', 'istore8', 'istore16', 'istore32'] : ['store', 'istore8', 'istore16'];
        lines.push(`    ${kinds[r.next(kinds.length)]} heap ${pick(t)}, ${a}+${off}`);
        return;
      }
      case 9: {
        // Read-modify-write shape.
        const [a, off] = address();
        const l = fresh();
        lines.push(`    ${l} = load.${t} heap ${a}+${off}`);
        const x = fresh();
        const form = r.next(3);
        if (form === 0) lines.push(`    ${x} = ${['iadd', 'isub', 'band', 'bor', 'bxor'][r.next(5)]} ${l}, ${pick(t)}`);
        else if (form === 1) lines.push(`    ${x} = ${['iadd_imm', 'band_imm', 'bor_imm', 'bxor_imm'][r.next(4)]} ${l}, ${IMMS[r.next(IMMS.length)]}`);
        else lines.push(`    ${x} = bor ${pick(t)}, ${l}`);
        lines.push(`    store heap ${x}, ${a}+${off}`);
        return;
      }
      case 10: {
        const d = fresh();
        lines.push(`    ${d} = bor_imm ${pick(t)}, 1`);
        def(t, `${r.next(2) === 0 ? 'udiv' : 'urem'} ${pick(t)}, ${d}`);
        return;
      }
      case 11:
        def(t, `${['clz', 'ctz', 'popcnt'][r.next(3)]} ${pick(t)}`);
        return;
      default:
        def(t, `${['ineg', 'bnot', 'sextend8', 'sextend16'][r.next(4)]} ${pick(t)}`);
    }
  };

  const blocks: string[] = [];
  let block = 0;
  lines.push(`block0(v0: i64, v1: i64, v2: i64, v3: i32):`);
  lines.push('    v4 = load.i64 notrap aligned readonly vmctx v0+32');
  for (let seg = 0; seg < 4; seg++) {
    for (let k = 0; k < 8; k++) op();
    // A diamond: both arms compute, the join receives one value per type.
    const c = fresh();
    lines.push(`    ${c} = icmp ${CCS[r.next(CCS.length)]} ${pick('i64')}, ${pick('i64')}`);
    const bt = ++block;
    const be = ++block;
    const bj = ++block;
    lines.push(`    brif ${c}, block${bt}, block${be}`);
    blocks.push(lines.splice(0).join('\n'));
    const saved = { i64: pools.i64.slice(), i32: pools.i32.slice() };
    const arm = (b: number): void => {
      lines.push(`block${b}:`);
      for (let k = 0; k < 3; k++) op();
      lines.push(`    jump block${bj}(${pick('i64')}, ${pick('i32')})`);
      blocks.push(lines.splice(0).join('\n'));
      pools.i64 = saved.i64.slice();
      pools.i32 = saved.i32.slice();
    };
    arm(bt);
    arm(be);
    const p64 = fresh();
    const p32 = fresh();
    lines.push(`block${bj}(${p64}: i64, ${p32}: i32):`);
    pools.i64.push(p64);
    pools.i32.push(p32);
  }
  const x = fresh();
  lines.push(`    ${x} = uextend.i64 ${pick('i32')}`);
  const y = fresh();
  lines.push(`    ${y} = bxor ${pick('i64')}, ${x}`);
  const z = fresh();
  lines.push(`    ${z} = iadd ${y}, ${pick('i64')}`);
  lines.push(`    return ${z}`);
  blocks.push(lines.splice(0).join('\n'));
  return `function %${name}(i64 vmctx, i64, i64, i32) -> i64 {\n${blocks.join('\n\n')}\n}\n`;
}

// ---- the reference interpreter --------------------------------------------------------------------------------

const M64 = (1n << 64n) - 1n;
const wrap = (t: number, x: bigint): bigint => (t === I32 ? BigInt.asUintN(32, x) : BigInt.asUintN(64, x));
const signed = (t: number, x: bigint): bigint => (t === I32 ? BigInt.asIntN(32, x) : BigInt.asIntN(64, x));
const bitsOf = (t: number): bigint => (t === I32 ? 32n : 64n);

function interpret(f: IrFunction, args: bigint[], vmctx: bigint, heapBase: bigint, heap: Uint8Array): bigint {
  const dfg = f.dfg;
  const layout = f.layout;
  const val = new Map<number, bigint>();
  const view = new DataView(heap.buffer, heap.byteOffset, heap.byteLength);
  const get = (v: number): bigint => {
    const x = val.get(dfg.resolve(v));
    if (x === undefined) throw new Error(`v${v} undefined`);
    return x;
  };
  let block = f.entryBlock;
  for (let i = 0; i < args.length; i++) val.set(dfg.blockParam(block, i), args[i]);
  for (;;) {
    for (let inst = layout.firstInst(block); inst !== NONE; inst = layout.nextInst(inst)) {
      const op = dfg.opcode(inst);
      const t = dfg.instType(inst);
      const res = (x: bigint): void => void val.set(dfg.result(inst, 0), wrap(t, x));
      const a = (): bigint => get(dfg.arg(inst, 0));
      const b = (): bigint => get(dfg.arg(inst, 1));
      const imm = (): bigint => signed(I64, (BigInt(dfg.immHi(inst)) << 32n) | BigInt(dfg.immLo(inst) >>> 0));
      const w = bitsOf(t);
      const sh = (k: bigint): bigint => k & (w - 1n);
      const rotl = (x: bigint, k: bigint): bigint => wrap(t, (x << sh(k)) | (x >> ((w - sh(k)) % w)));
      const addrOf = (k: number): number => {
        const addr = get(dfg.arg(inst, k)) + BigInt(dfg.offset(inst));
        if (addr === vmctx + 32n) return -1;
        const off = Number(addr - heapBase);
        if (off < 0 || off + 8 > heap.length) throw new Error(`address out of the test heap: ${off}`);
        return off;
      };
      switch (op) {
        case Opcode.iconst: res(imm()); break;
        case Opcode.iadd: res(a() + b()); break;
        case Opcode.isub: res(a() - b()); break;
        case Opcode.imul: res(a() * b()); break;
        case Opcode.band: res(a() & b()); break;
        case Opcode.bor: res(a() | b()); break;
        case Opcode.bxor: res(a() ^ b()); break;
        case Opcode.ishl: res(a() << sh(b())); break;
        case Opcode.ushr: res(a() >> sh(b())); break;
        case Opcode.sshr: res(signed(t, a()) >> sh(b())); break;
        case Opcode.rotl: res(rotl(a(), b())); break;
        case Opcode.rotr: res(rotl(a(), w - sh(b()))); break;
        case Opcode.iadd_imm: res(a() + imm()); break;
        case Opcode.imul_imm: res(a() * imm()); break;
        case Opcode.band_imm: res(a() & wrap(t, imm())); break;
        case Opcode.bor_imm: res(a() | wrap(t, imm())); break;
        case Opcode.bxor_imm: res(a() ^ wrap(t, imm())); break;
        case Opcode.ishl_imm: res(a() << sh(imm())); break;
        case Opcode.ushr_imm: res(a() >> sh(imm())); break;
        case Opcode.sshr_imm: res(signed(t, a()) >> sh(imm())); break;
        case Opcode.rotl_imm: res(rotl(a(), imm())); break;
        case Opcode.ineg: res(-a()); break;
        case Opcode.bnot: res(~a()); break;
        case Opcode.sextend8: res(BigInt.asIntN(8, a())); break;
        case Opcode.sextend16: res(BigInt.asIntN(16, a())); break;
        case Opcode.clz: { let n = 0n; for (let i = w - 1n; i >= 0n && ((a() >> i) & 1n) === 0n; i--) n++; res(n); break; }
        case Opcode.ctz: { let n = 0n; while (n < w && ((a() >> n) & 1n) === 0n) n++; res(n); break; }
        case Opcode.popcnt: { let n = 0n; for (let x = a(); x !== 0n; x >>= 1n) n += x & 1n; res(n); break; }
        case Opcode.udiv: res(a() / b()); break;
        case Opcode.urem: res(a() % b()); break;
        case Opcode.uextend: res(a()); break;
        case Opcode.sextend: res(BigInt.asIntN(32, a())); break;
        case Opcode.ireduce: res(a()); break;
        case Opcode.select: val.set(dfg.result(inst, 0), get(dfg.arg(inst, 0)) !== 0n ? b() : get(dfg.arg(inst, 2))); break;
        case Opcode.icmp:
        case Opcode.icmp_imm: {
          const ty = dfg.valueType(dfg.arg(inst, 0));
          const x = a();
          const y = op === Opcode.icmp ? b() : wrap(ty, imm());
          const [sx, sy] = [signed(ty, x), signed(ty, y)];
          const cc = dfg.condCode(inst);
          const tbl = [x === y, x !== y, sx < sy, sx <= sy, sx > sy, sx >= sy, x < y, x <= y, x > y, x >= y];
          void IntCC;
          val.set(dfg.result(inst, 0), tbl[cc] ? 1n : 0n);
          break;
        }
        case Opcode.load: case Opcode.uload8: case Opcode.sload8: case Opcode.uload16: case Opcode.sload16:
        case Opcode.uload32: case Opcode.sload32: {
          const o = addrOf(0);
          if (o < 0) { res(heapBase); break; }
          const x =
            op === Opcode.uload8 ? BigInt(view.getUint8(o)) : op === Opcode.sload8 ? BigInt(view.getInt8(o)) :
            op === Opcode.uload16 ? BigInt(view.getUint16(o, true)) : op === Opcode.sload16 ? BigInt(view.getInt16(o, true)) :
            op === Opcode.uload32 ? BigInt(view.getUint32(o, true)) : op === Opcode.sload32 ? BigInt(view.getInt32(o, true)) :
            t === I64 ? view.getBigUint64(o, true) : BigInt(view.getUint32(o, true));
          res(x);
          break;
        }
        case Opcode.store: case Opcode.istore8: case Opcode.istore16: case Opcode.istore32: {
          const x = get(dfg.arg(inst, 0));
          const o = addrOf(1);
          if (op === Opcode.istore8) view.setUint8(o, Number(x & 0xffn));
          else if (op === Opcode.istore16) view.setUint16(o, Number(x & 0xffffn), true);
          else if (op === Opcode.istore32 || dfg.valueType(dfg.arg(inst, 0)) === I32) view.setUint32(o, Number(x & 0xffffffffn), true);
          else view.setBigUint64(o, x & M64, true);
          break;
        }
        case Opcode.jump:
        case Opcode.brif: {
          const k = op === Opcode.jump ? 0 : get(dfg.arg(inst, 0)) !== 0n ? 0 : 1;
          const target = dfg.destBlock(inst, k);
          const vals: bigint[] = [];
          for (let i = 0; i < dfg.numDestArgs(inst, k); i++) vals.push(get(dfg.destArg(inst, k, i)));
          vals.forEach((x, i) => val.set(dfg.blockParam(target, i), x));
          block = target;
          break;
        }
        case Opcode.return:
          return get(dfg.arg(inst, 0));
        default:
          throw new Error(`interpreter: unsupported opcode ${op}`);
      }
    }
  }
}

const NUM_FUNCS = 40;
const SEEDS = Array.from({ length: NUM_FUNCS }, (_, i) => 7919 * (i + 1));
const INPUTS: [bigint, bigint, number][] = [
  [0n, 0n, 0],
  [1n, -1n, 5],
  [0x123456789abcdefn, -0x7777777777n, -123456],
  [-0x8000000000000000n, 0x7fffffffffffffffn, 0x7fffffff],
  [255n, 65536n, -1],
];

for (const [label, cpu] of [['modern CPU', undefined], ['baseline CPU', BASELINE_CPU_FEATURES]] as const) {
  describe(`random programs vs. an IR interpreter (${label})`, () => {
    let m: ExecModule;
    beforeAll(() => {
      const text = SEEDS.map((s, i) => genFunction(`r${i}`, s + (cpu === undefined ? 0 : 1))).join('\n');
      m = ExecModule.build(text, cpu === undefined ? {} : { cpu });
    });
    afterAll(() => m.free());

    it(`${NUM_FUNCS} functions × ${INPUTS.length} inputs: same result and same heap`, () => {
      const heap = nativeBytes(m.heap, HEAP_SIZE);
      let compared = 0;
      for (let f = 0; f < NUM_FUNCS; f++) {
        for (const [a, b, c] of INPUTS) {
          // Same starting heap for both: a fixed pattern.
          for (let i = 0; i < 0x4100; i++) heap[i] = (i * 37 + f) & 0xff;
          const ref = heap.slice(0, 0x4100);
          const want = interpret(m.funcs[f], [m.vmctx, BigInt.asUintN(64, a), BigInt.asUintN(64, b), BigInt(c >>> 0)], m.vmctx, m.heap, ref);
          const r = m.call(f, [a, b, c]);
          expect(r.trap, `r${f}`).toBeNull();
          expect(i64Of(r.results[0]), `r${f}(${a}, ${b}, ${c})`).toBe(BigInt.asIntN(64, want));
          const got = heap.slice(0, 0x4100);
          let diff = -1;
          for (let i = 0; i < got.length && diff < 0; i++) if (got[i] !== ref[i]) diff = i;
          expect(diff, `r${f}: heap differs at byte ${diff}`).toBe(-1);
          compared++;
        }
      }
      expect(compared).toBe(NUM_FUNCS * INPUTS.length);
    });
  });
}
