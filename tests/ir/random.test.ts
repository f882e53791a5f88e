/**
 * Randomized tests:
 * 1. Round trip: random functions over every opcode family, built with the FunctionBuilder, must verify, and
 *    print -> parse -> print must give the same text and a structurally equal function.
 * 2. SSA semantics: random variable programs (with loops, diamonds, br_table, unreachable blocks) are run by a
 *    direct interpreter and, after SSA construction, by an IR interpreter; the results must agree.
 */
import { describe, expect, it } from 'vitest';
import {
  ExtFuncData,
  F32,
  F64,
  FuncKind,
  FunctionBuilder,
  I32,
  I64,
  IntCC,
  IrFunction,
  MemFlag,
  NONE,
  Opcode,
  Signature,
  TrapCode,
  parseFunction,
  printFunction,
  verifyFunction,
  type Type,
  type Value,
} from '../../src/ir/index.js';
import { diffFunctions } from './helpers.js';

/** mulberry32: small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [I32, I64, F32, F64];
const INT_BIN = [Opcode.iadd, Opcode.isub, Opcode.imul, Opcode.udiv, Opcode.sdiv, Opcode.urem, Opcode.srem,
  Opcode.band, Opcode.bor, Opcode.bxor, Opcode.ishl, Opcode.ushr, Opcode.sshr, Opcode.rotl, Opcode.rotr];
const INT_UN = [Opcode.ineg, Opcode.bnot, Opcode.clz, Opcode.ctz, Opcode.popcnt, Opcode.sextend8, Opcode.sextend16];
const INT_IMM = [Opcode.iadd_imm, Opcode.imul_imm, Opcode.band_imm, Opcode.bor_imm, Opcode.bxor_imm,
  Opcode.ishl_imm, Opcode.ushr_imm, Opcode.sshr_imm, Opcode.rotl_imm, Opcode.rotr_imm];
const FLOAT_BIN = [Opcode.fadd, Opcode.fsub, Opcode.fmul, Opcode.fdiv, Opcode.fmin, Opcode.fmax, Opcode.fcopysign];
const FLOAT_UN = [Opcode.fneg, Opcode.fabs, Opcode.sqrt, Opcode.ceil, Opcode.floor, Opcode.trunc, Opcode.nearest];
const LOADS_INT = [Opcode.uload8, Opcode.sload8, Opcode.uload16, Opcode.sload16];
const FLAG_CHOICES = [0, MemFlag.notrap, MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx, MemFlag.heap,
  MemFlag.readonly | MemFlag.table, MemFlag.notrap | MemFlag.readonly | MemFlag.aligned];

function generateFunction(seed: number): IrFunction {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (n: number) => Math.floor(r() * n);
  const params: Type[] = [I64];
  for (let i = int(4); i > 0; i--) params.push(pick(TYPES));
  const results: Type[] = [];
  for (let i = int(3); i > 0; i--) results.push(pick(TYPES));
  const func = new IrFunction(`rand${seed}`, new Signature(params, results, 0));
  const dfg = func.dfg;
  const sig = dfg.importSignature(new Signature([I64, pick(TYPES)], [pick(TYPES), pick(TYPES)], 0));
  const fn0 = dfg.importFunction(new ExtFuncData(FuncKind.wasm, int(100), sig));
  const hostSig = dfg.importSignature(new Signature([I64], r() < 0.5 ? [] : [I32], -1, 1));
  const fn1 = dfg.importFunction(new ExtFuncData(FuncKind.builtin, int(10), hostSig));
  const fb = new FunctionBuilder(func);
  const ins = fb.ins;
  const nBlocks = 1 + int(10);
  const blocks = Array.from({ length: nBlocks }, () => fb.createBlock());
  fb.appendFunctionParams(blocks[0]!);
  // One variable per type at least, plus a few more.
  const vars: Type[] = [...TYPES];
  for (let i = int(5); i > 0; i--) vars.push(pick(TYPES));
  for (const t of vars) fb.declareVar(t);
  const varsOf = (t: Type) => vars.map((vt, i) => (vt === t ? i : -1)).filter((i) => i >= 0);
  const valOf = (t: Type): Value => fb.useVar(pick(varsOf(t)));
  const vmctx = fb.blockParam(blocks[0]!, 0);

  const makeValue = (t: Type): Value => {
    const c = int(12);
    const isIntT = t === I32 || t === I64;
    if (isIntT) {
      switch (c) {
        case 0: return ins.binary(pick(INT_BIN), valOf(t), valOf(t));
        case 1: return ins.unary(pick(INT_UN), valOf(t));
        case 2: return ins.binaryImm(pick(INT_IMM), valOf(t), int(2) ? int(64) - 32 : (r() * 2 ** 32) | 0,
          int(2) ? -1 : (r() * 2 ** 32) | 0);
        case 3:
          if (t === I32) return int(2) ? ins.icmp(int(10), valOf(I64), valOf(I64)) : ins.fcmp(int(6), valOf(F32), valOf(F32));
          return ins.sextend32(valOf(I64));
        case 4: return ins.iconstBits(t, (r() * 2 ** 32) | 0, (r() * 2 ** 32) | 0);
        case 5:
          if (t === I32) return int(2) ? ins.ireduce(I32, valOf(I64)) : ins.icmpImm(int(10), valOf(I32), int(200) - 100);
          return int(2) ? ins.uextend(I64, valOf(I32)) : ins.sextend(I64, valOf(I32));
        case 6: {
          const op = pick([Opcode.fcvt_to_sint, Opcode.fcvt_to_uint, Opcode.fcvt_to_sint_sat, Opcode.fcvt_to_uint_sat]);
          return ins.convert(op, t, valOf(pick([F32, F64])));
        }
        case 7: return ins.bitcast(t, valOf(t === I32 ? F32 : F64));
        case 8: return ins.loadOp(pick(LOADS_INT), t, pick(FLAG_CHOICES), vmctx, int(64) - 8);
        case 9: return t === I64 ? ins.uload32(pick(FLAG_CHOICES), vmctx, int(100)) : ins.load(t, pick(FLAG_CHOICES), vmctx);
        case 10: return ins.select(valOf(I32), valOf(t), valOf(t));
        default: {
          const call = ins.call(fn0, [vmctx, valOf(dfg.signatures[sig]!.params[1]!)]);
          const rt = dfg.valueType(dfg.result(call, 0));
          return rt === t ? dfg.result(call, 0) : valOf(t);
        }
      }
    }
    switch (c) {
      case 0: case 1: return ins.binary(pick(FLOAT_BIN), valOf(t), valOf(t));
      case 2: case 3: return ins.unary(pick(FLOAT_UN), valOf(t));
      case 4: {
        const bits = int(3) === 0 ? pick([0x7fc00000, 0x7fa00001, 0x80000000 | 0, 0x7f800000]) : (r() * 2 ** 32) | 0;
        return t === F32 ? ins.f32constBits(bits) : ins.f64constBits((r() * 2 ** 32) | 0, bits);
      }
      case 5: return ins.convert(pick([Opcode.fcvt_from_sint, Opcode.fcvt_from_uint]), t, valOf(pick([I32, I64])));
      case 6: return t === F64 ? ins.fpromote(valOf(F32)) : ins.fdemote(valOf(F64));
      case 7: return ins.bitcast(t, valOf(t === F32 ? I32 : I64));
      case 8: return ins.load(t, pick(FLAG_CHOICES), vmctx, int(1000) - 500);
      case 9: return ins.select(valOf(I32), valOf(t), valOf(t));
      case 10: return t === F32 ? ins.f32const(r() * 100 - 50) : ins.f64const(r() * 1e6);
      default: return valOf(t);
    }
  };

  const sealEarly = r() < 0.5;
  for (let bi = 0; bi < nBlocks; bi++) {
    const b = blocks[bi]!;
    fb.switchToBlock(b);
    if (bi === 0) fb.sealBlock(b);
    if (bi === 0) {
      // Initialise variables from parameters of the same type when there is one.
      const entryParams = fb.blockParams(b);
      vars.forEach((t, x) => {
        const p = entryParams.find((v, i) => i > 0 && params[i] === t);
        fb.defVar(x, p ?? (t === F32 ? ins.f32const(0.5) : t === F64 ? ins.f64const(2.5) : ins.iconst(t, x)));
      });
    }
    if (r() < 0.2) dfg.setCold(b, true);
    for (let k = int(8); k > 0; k--) {
      fb.srcLoc = r() < 0.3 ? int(0x10000) : -1;
      const x = int(vars.length);
      const choice = int(20);
      if (choice === 0) ins.storeOp(pick([Opcode.store, Opcode.istore8, Opcode.istore16]), pick(FLAG_CHOICES),
        valOf(pick([I32, I64])), vmctx, int(64));
      else if (choice === 1) ins.istore32(pick(FLAG_CHOICES), valOf(I64), vmctx, -int(64));
      else if (choice === 2) {
        const t = ins.trapz(valOf(I32), pick([TrapCode.int_divz, TrapCode.heap_oob, TrapCode.out_of_fuel]));
        dfg.setTrapFuel(t, int(5));
      } else if (choice === 3) ins.trapnz(valOf(I64), TrapCode.interrupted);
      else if (choice === 4) ins.call(fn1, [vmctx]);
      else if (choice === 5) ins.setPinnedReg(ins.getPinnedReg(I64));
      else fb.defVar(x, makeValue(vars[x]!));
    }
    fb.srcLoc = -1;
    // Terminator: branches only forward when sealing early (so every predecessor is known in time).
    const targets = blocks.slice(1).filter((t) => !sealEarly || t > b);
    const kind = targets.length === 0 ? 3 + int(2) : int(5);
    if (kind === 0) ins.jump(pick(targets));
    else if (kind === 1) ins.brif(valOf(pick([I32, I64])), pick(targets), [], pick(targets), []);
    else if (kind === 2) {
      const table = Array.from({ length: int(5) }, () => pick(targets));
      ins.brTable(valOf(I32), pick(targets), table);
    } else if (kind === 3) ins.return_(results.map((t) => valOf(t)));
    else ins.trap(pick([TrapCode.unreachable, TrapCode.bad_conversion, TrapCode.stack_overflow]));
    if (sealEarly) {
      // Seal every block whose predecessors are all built: blocks up to here can have no new ones.
      for (let j = 1; j <= bi + 1 && j < nBlocks; j++) if (!fb.isSealed(blocks[j]!)) fb.sealBlock(blocks[j]!);
    }
  }
  fb.sealAllBlocks();
  // Half of the functions keep their unreachable blocks, so the printer and parser see more code.
  return fb.finalize({ keepUnreachable: seed % 2 === 0 });
}

/** More seeds for a longer local run: IR_RANDOM_SEEDS=5000 npx vitest run tests/ir/random.test.ts */
const SEEDS = Number(process.env.IR_RANDOM_SEEDS ?? 0) || 0;

describe('randomized round trip', () => {
  it('builds, verifies, prints and re-parses 300 random functions identically', () => {
    let insts = 0;
    let blocks = 0;
    for (let seed = 1; seed <= (SEEDS || 300); seed++) {
      const func = generateFunction(seed);
      const errors = verifyFunction(func);
      if (errors.length > 0) throw new Error(`seed ${seed}:\n${errors.join('\n')}\n${printFunction(func)}`);
      const text = printFunction(func);
      const parsed = parseFunction(text);
      const diff = diffFunctions(func, parsed);
      if (diff !== null) throw new Error(`seed ${seed}: ${diff}\n${text}`);
      expect(printFunction(parsed)).toBe(text);
      expect(verifyFunction(parsed)).toEqual([]);
      insts += func.countInsts();
      blocks += func.countBlocks();
    }
    expect(insts).toBeGreaterThan(3000);
    expect(blocks).toBeGreaterThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// SSA semantics: direct interpretation of a variable program vs interpretation of the SSA IR built from it.
// ---------------------------------------------------------------------------------------------------------------

interface VarOp {
  dst: number;
  op: 'add' | 'sub' | 'mul' | 'xor' | 'const' | 'lt' | 'addimm';
  a: number;
  b: number;
}
type Term =
  | { kind: 'jump'; target: number }
  | { kind: 'brif'; cond: number; then: number; else: number }
  | { kind: 'table'; index: number; targets: number[]; dflt: number }
  | { kind: 'return'; vars: number[] };
interface Program {
  nParams: number;
  nVars: number;
  blocks: { ops: VarOp[]; term: Term }[];
}

function generateProgram(seed: number): Program {
  const r = rng(seed * 7919);
  const int = (n: number) => Math.floor(r() * n);
  const nVars = 1 + int(6);
  const nParams = int(nVars + 1);
  const nBlocks = 1 + int(9);
  const blocks: Program['blocks'] = [];
  for (let b = 0; b < nBlocks; b++) {
    const ops: VarOp[] = [];
    for (let k = int(5); k > 0; k--) {
      const op = (['add', 'sub', 'mul', 'xor', 'const', 'lt', 'addimm'] as const)[int(7)]!;
      ops.push({ dst: int(nVars), op, a: int(nVars), b: op === 'const' || op === 'addimm' ? int(21) - 10 : int(nVars) });
    }
    const target = () => 1 + int(nBlocks - 1);
    let term: Term;
    const k = nBlocks === 1 ? 3 : int(4);
    if (k === 0) term = { kind: 'jump', target: target() };
    else if (k === 1) term = { kind: 'brif', cond: int(nVars), then: target(), else: target() };
    else if (k === 2) term = { kind: 'table', index: int(nVars), targets: Array.from({ length: int(4) }, target), dflt: target() };
    else term = { kind: 'return', vars: [int(nVars), int(nVars)] };
    blocks.push({ ops, term });
  }
  return { nParams, nVars, blocks };
}

const MAX_STEPS = 60;

function evalOp(op: VarOp['op'], a: number, b: number): number {
  switch (op) {
    case 'add': return (a + b) | 0;
    case 'sub': return (a - b) | 0;
    case 'mul': return Math.imul(a, b);
    case 'xor': return a ^ b;
    case 'lt': return a < b ? 1 : 0;
    default: throw new Error(op);
  }
}

/** Runs the variable program directly; undefined variables read as 0 (as the SSA builder makes them). */
function runProgram(p: Program, args: number[]): string {
  const env = new Array<number>(p.nVars).fill(0);
  for (let i = 0; i < p.nParams; i++) env[i] = args[i]!;
  let b = 0;
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    for (const o of p.blocks[b]!.ops) {
      env[o.dst] = o.op === 'const' ? o.b : o.op === 'addimm' ? (env[o.a]! + o.b) | 0 : evalOp(o.op, env[o.a]!, env[o.b]!);
    }
    const t = p.blocks[b]!.term;
    if (t.kind === 'return') return t.vars.map((x) => env[x]).join(',');
    if (t.kind === 'jump') b = t.target;
    else if (t.kind === 'brif') b = env[t.cond] !== 0 ? t.then : t.else;
    else {
      const i = env[t.index]! >>> 0;
      b = i < t.targets.length ? t.targets[i]! : t.dflt;
    }
  }
  return 'timeout';
}

function buildProgram(p: Program, sealEarly: boolean): IrFunction {
  const func = new IrFunction('prog', new Signature(new Array(p.nParams).fill(I32), [I32, I32]));
  const fb = new FunctionBuilder(func);
  const blocks = p.blocks.map(() => fb.createBlock());
  // Predecessor counts (unique source blocks) to seal each block as soon as its last predecessor is built.
  const remaining = new Array<number>(blocks.length).fill(0);
  const targetsOf = (t: Term): number[] =>
    t.kind === 'jump' ? [t.target] : t.kind === 'brif' ? [t.then, t.else] : t.kind === 'table' ? [...t.targets, t.dflt] : [];
  for (const blk of p.blocks) for (const t of new Set(targetsOf(blk.term))) remaining[t]!++;
  for (let i = 0; i < p.nVars; i++) fb.declareVar(I32);
  fb.appendFunctionParams(blocks[0]!);
  for (let b = 0; b < blocks.length; b++) {
    fb.switchToBlock(blocks[b]!);
    if (sealEarly && remaining[b] === 0) fb.sealBlock(blocks[b]!);
    if (b === 0) for (let i = 0; i < p.nParams; i++) fb.defVar(i, fb.blockParam(blocks[0]!, i));
    for (const o of p.blocks[b]!.ops) {
      let v: Value;
      if (o.op === 'const') v = fb.ins.iconst(I32, o.b);
      else if (o.op === 'addimm') v = fb.ins.iaddImm(fb.useVar(o.a), o.b);
      else if (o.op === 'lt') v = fb.ins.icmp(IntCC.slt, fb.useVar(o.a), fb.useVar(o.b));
      else {
        const op = { add: Opcode.iadd, sub: Opcode.isub, mul: Opcode.imul, xor: Opcode.bxor }[o.op];
        v = fb.ins.binary(op, fb.useVar(o.a), fb.useVar(o.b));
      }
      fb.defVar(o.dst, v);
    }
    const t = p.blocks[b]!.term;
    if (t.kind === 'jump') fb.ins.jump(blocks[t.target]!);
    else if (t.kind === 'brif') fb.ins.brif(fb.useVar(t.cond), blocks[t.then]!, [], blocks[t.else]!, []);
    else if (t.kind === 'table') fb.ins.brTable(fb.useVar(t.index), blocks[t.dflt]!, t.targets.map((x) => blocks[x]!));
    else fb.ins.return_(t.vars.map((x) => fb.useVar(x)));
    if (sealEarly) {
      for (const d of new Set(targetsOf(t))) if (--remaining[d]! === 0) fb.sealBlock(blocks[d]!);
    }
  }
  fb.sealAllBlocks();
  return fb.finalize();
}

/** Interprets the SSA IR produced by buildProgram (i32 subset). */
function runIr(func: IrFunction, args: number[]): string {
  const { dfg, layout } = func;
  const vals = new Int32Array(dfg.numValues);
  const entry = layout.firstBlock;
  for (let i = 0; i < args.length; i++) vals[dfg.blockParam(entry, i)] = args[i]!;
  let b = entry;
  const tmp: number[] = [];
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      const op = dfg.opcode(inst);
      const a = (i: number) => vals[dfg.arg(inst, i)]!;
      const res = dfg.firstResult(inst);
      switch (op) {
        case Opcode.iconst: vals[res] = dfg.immLo(inst); break;
        case Opcode.iadd_imm: vals[res] = (a(0) + dfg.immLo(inst)) | 0; break;
        case Opcode.iadd: vals[res] = (a(0) + a(1)) | 0; break;
        case Opcode.isub: vals[res] = (a(0) - a(1)) | 0; break;
        case Opcode.imul: vals[res] = Math.imul(a(0), a(1)); break;
        case Opcode.bxor: vals[res] = a(0) ^ a(1); break;
        case Opcode.icmp: vals[res] = a(0) < a(1) ? 1 : 0; break;
        case Opcode.return: return dfg.args(inst).map((v) => vals[v]).join(',');
        default: {
          let k = 0;
          if (op === Opcode.brif) k = a(0) !== 0 ? 0 : 1;
          else if (op === Opcode.br_table) {
            const i = a(0) >>> 0;
            k = i < dfg.numDests(inst) - 1 ? i + 1 : 0;
          } else if (op !== Opcode.jump) throw new Error(`unexpected ${op}`);
          const dest = dfg.destBlock(inst, k);
          // Block arguments are assigned in parallel.
          tmp.length = 0;
          for (let i = 0; i < dfg.numDestArgs(inst, k); i++) tmp.push(vals[dfg.destArg(inst, k, i)]!);
          for (let i = 0; i < tmp.length; i++) vals[dfg.blockParam(dest, i)] = tmp[i]!;
          b = dest;
        }
      }
    }
  }
  return 'timeout';
}

describe('SSA construction semantics', () => {
  it('agrees with direct interpretation on 400 random variable programs (both sealing orders)', () => {
    let paramsKept = 0;
    let loopsRun = 0;
    for (let seed = 1; seed <= (SEEDS || 400); seed++) {
      const p = generateProgram(seed);
      for (const sealEarly of [false, true]) {
        const func = buildProgram(p, sealEarly);
        const errors = verifyFunction(func);
        if (errors.length > 0) throw new Error(`seed ${seed}: ${errors.join('\n')}\n${printFunction(func)}`);
        for (const args of [[0, 0, 0, 0, 0, 0], [1, -2, 3, 5, 7, 11], [-7, 4, 0, 9, 2, 1]]) {
          const want = runProgram(p, args);
          const got = runIr(func, args.slice(0, p.nParams));
          if (got !== want) throw new Error(`seed ${seed} args ${args}: want ${want} got ${got}\n${printFunction(func)}`);
          if (want === 'timeout') loopsRun++;
        }
        for (let b = func.layout.firstBlock; b !== NONE; b = func.layout.nextBlock(b)) {
          paramsKept += func.dfg.numBlockParams(b);
        }
      }
    }
    // The programs really exercised block parameters and loops.
    expect(paramsKept).toBeGreaterThan(500);
    expect(loopsRun).toBeGreaterThan(50);
  });
});
