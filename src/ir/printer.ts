/**
 * Text printer (Cranelift style). The parser (parser.ts) reads exactly this form back:
 *
 *   function %fib(i32) -> i32 {
 *       sig0 = (i64 vmctx, i32) -> i32
 *       fn0 = func 3 sig0
 *
 *   block0(v0: i32):
 *       v1 = iconst.i32 2
 *       v2 = icmp ult v0, v1
 *       brif v2, block1, block2(v0)
 *   ...
 *   }
 *
 * Operands are printed alias-resolved. An instruction line may start with `@hex` (its source location) and
 * `fuel=N` (its pending trap fuel).
 */
import type { DataFlowGraph } from './dfg.js';
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst, type Value } from './ids.js';
import { formatF32, formatF64, formatImm } from './immediates.js';
import { floatCCName, intCCName } from './condcodes.js';
import { memFlagNames } from './memflags.js';
import {
  Format,
  OPCODE_FLAGS,
  OPCODE_FORMAT,
  OPCODE_TYPE_RULE,
  OpFlag,
  Opcode,
  TypeRule,
  isTypeFromOperand,
  opcodeName,
} from './opcodes.js';
import { trapCodeName } from './trapcodes.js';
import { typeName } from './types.js';

const SIMPLE_NAME = /^[A-Za-z0-9_.$]+$/;

/** `%name`, quoted (`%"a b"`) when the name has other characters. */
export function formatFunctionName(name: string): string {
  return SIMPLE_NAME.test(name) ? '%' + name : '%' + JSON.stringify(name);
}

function val(v: Value): string {
  return v >= 0 ? 'v' + v : 'v?';
}

/** Prints a whole function. */
export function printFunction(func: IrFunction): string {
  const dfg = func.dfg;
  const layout = func.layout;
  const out: string[] = [];
  out.push(`function ${formatFunctionName(func.name)}${func.signature.toString()} {`);
  for (let i = 0; i < dfg.signatures.length; i++) out.push(`    sig${i} = ${dfg.signatures[i]!.toString()}`);
  for (let i = 0; i < dfg.extFuncs.length; i++) out.push(`    fn${i} = ${dfg.extFuncs[i]!.toString()}`);
  const hasPreamble = dfg.signatures.length + dfg.extFuncs.length > 0;
  // Values printed so far: an operand that is defined further down gets an explicit type suffix.
  const defined = new Uint8Array(dfg.numValues);
  for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
    if (b !== layout.firstBlock || hasPreamble) out.push('');
    out.push(formatBlockHeader(dfg, b));
    for (let i = 0; i < dfg.numBlockParams(b); i++) defined[dfg.blockParam(b, i)] = 1;
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      out.push('    ' + formatInstLine(dfg, inst, defined));
      for (let i = 0; i < dfg.numResults(inst); i++) defined[dfg.result(inst, i)] = 1;
    }
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** `block3(v4: i32, v5: f64) cold:` */
export function formatBlockHeader(dfg: DataFlowGraph, b: Block): string {
  let s = 'block' + b;
  const n = dfg.numBlockParams(b);
  if (n > 0) {
    s += '(';
    for (let i = 0; i < n; i++) {
      const p = dfg.blockParam(b, i);
      if (i > 0) s += ', ';
      s += `${val(p)}: ${typeName(dfg.valueType(p))}`;
    }
    s += ')';
  }
  if (dfg.isCold(b)) s += ' cold';
  return s + ':';
}

/** An instruction with its `@srcloc` / `fuel=N` prefixes, as printed inside a block. */
export function formatInstLine(dfg: DataFlowGraph, inst: Inst, defined?: Uint8Array): string {
  let prefix = '';
  const loc = dfg.srcLoc(inst);
  if (loc >= 0) prefix += '@' + loc.toString(16).padStart(4, '0') + ' ';
  const fuel = dfg.trapFuel(inst);
  if (fuel !== 0) prefix += `fuel=${fuel} `;
  return prefix + formatInst(dfg, inst, defined);
}

/**
 * One instruction in text form, e.g. `v3 = iadd v1, v2` (used in verifier messages too). With `defined` (the
 * values already printed), an opcode whose type is normally inferred from an operand gets a `.type` suffix
 * when that operand is defined further down the text, so the parser never has to guess.
 */
export function formatInst(dfg: DataFlowGraph, inst: Inst, defined?: Uint8Array): string {
  let s = '';
  const nr = dfg.numResults(inst);
  if (nr > 0) {
    for (let i = 0; i < nr; i++) s += (i > 0 ? ', ' : '') + val(dfg.result(inst, i));
    s += ' = ';
  }
  const op = dfg.opcode(inst);
  s += opcodeName(op);
  if (OPCODE_FLAGS[op]! & OpFlag.TypeSuffix) s += '.' + typeName(dfg.instType(inst));
  else if (defined !== undefined && isTypeFromOperand(op)) {
    const from = dfg.arg(inst, OPCODE_TYPE_RULE[op] === TypeRule.Select ? 1 : 0);
    if (!(from >= 0 && defined[from] === 1)) s += '.' + typeName(dfg.instType(inst));
  }
  const format = OPCODE_FORMAT[op];
  switch (format) {
    case Format.Nullary:
      break;
    case Format.Unary:
      s += ' ' + val(dfg.arg(inst, 0));
      break;
    case Format.UnaryImm:
      s += ' ' + formatConst(dfg, inst);
      break;
    case Format.Binary:
      s += ` ${val(dfg.arg(inst, 0))}, ${val(dfg.arg(inst, 1))}`;
      break;
    case Format.BinaryImm:
      s += ` ${val(dfg.arg(inst, 0))}, ${formatImm(dfg.immLo(inst), dfg.immHi(inst), dfg.instType(inst))}`;
      break;
    case Format.Ternary:
      s += ` ${val(dfg.arg(inst, 0))}, ${val(dfg.arg(inst, 1))}, ${val(dfg.arg(inst, 2))}`;
      break;
    case Format.IntCompare:
      s += ` ${intCCName(dfg.condCode(inst))} ${val(dfg.arg(inst, 0))}, ${val(dfg.arg(inst, 1))}`;
      break;
    case Format.IntCompareImm: {
      const x = dfg.arg(inst, 0);
      const t = x >= 0 && x < dfg.numValues ? dfg.valueType(x) : 0;
      s += ` ${intCCName(dfg.condCode(inst))} ${val(x)}, ${formatImm(dfg.immLo(inst), dfg.immHi(inst), t)}`;
      break;
    }
    case Format.FloatCompare:
      s += ` ${floatCCName(dfg.condCode(inst))} ${val(dfg.arg(inst, 0))}, ${val(dfg.arg(inst, 1))}`;
      break;
    case Format.Load:
      s += formatFlags(dfg.memFlags(inst)) + ' ' + formatAddress(dfg.arg(inst, 0), dfg.offset(inst));
      break;
    case Format.Store:
      s += formatFlags(dfg.memFlags(inst)) + ` ${val(dfg.arg(inst, 0))}, ` +
        formatAddress(dfg.arg(inst, 1), dfg.offset(inst));
      break;
    case Format.Trap:
      s += ' ' + trapCodeName(dfg.trapCode(inst));
      break;
    case Format.CondTrap:
      s += ` ${val(dfg.arg(inst, 0))}, ${trapCodeName(dfg.trapCode(inst))}`;
      break;
    case Format.Jump:
      s += ' ' + formatDest(dfg, inst, 0);
      break;
    case Format.Brif:
      s += ` ${val(dfg.arg(inst, 0))}, ${formatDest(dfg, inst, 0)}, ${formatDest(dfg, inst, 1)}`;
      break;
    case Format.BranchTable: {
      s += ` ${val(dfg.arg(inst, 0))}, ${formatDest(dfg, inst, 0)}, [`;
      const n = dfg.numDests(inst);
      for (let k = 1; k < n; k++) s += (k > 1 ? ', ' : '') + formatDest(dfg, inst, k);
      s += ']';
      break;
    }
    case Format.MultiAry: {
      const n = dfg.numArgs(inst);
      for (let i = 0; i < n; i++) s += (i > 0 ? ', ' : ' ') + val(dfg.arg(inst, i));
      break;
    }
    case Format.Call:
      s += ` fn${dfg.funcRef(inst)}(${formatArgs(dfg, inst, 0)})`;
      break;
    case Format.CallIndirect:
      s += ` sig${dfg.sigRef(inst)}, ${val(dfg.arg(inst, 0))}(${formatArgs(dfg, inst, 1)})`;
      break;
    default:
      s += ' <unknown format>';
  }
  return s;
}

function formatConst(dfg: DataFlowGraph, inst: Inst): string {
  const op = dfg.opcode(inst);
  if (op === Opcode.f32const) return formatF32(dfg.immLo(inst));
  if (op === Opcode.f64const) return formatF64(dfg.immLo(inst), dfg.immHi(inst));
  return formatImm(dfg.immLo(inst), dfg.immHi(inst), dfg.instType(inst));
}

/** ' notrap aligned heap' etc. per flag combination, computed once. */
const FLAG_TEXT: string[] = [];
for (let f = 0; f < 64; f++) {
  const names = memFlagNames(f);
  FLAG_TEXT.push(names.length > 0 ? ' ' + names.join(' ') : '');
}

function formatFlags(flags: number): string {
  if (flags >= 0 && flags < 64) return FLAG_TEXT[flags]!;
  const names = memFlagNames(flags);
  return (names.length > 0 ? ' ' + names.join(' ') : '') + ` flags?${flags}`;
}

function formatAddress(addr: Value, offset: number): string {
  if (offset === 0) return val(addr);
  return offset > 0 ? `${val(addr)}+${offset}` : `${val(addr)}${offset}`;
}

function formatArgs(dfg: DataFlowGraph, inst: Inst, from: number): string {
  let s = '';
  const n = dfg.numArgs(inst);
  for (let i = from; i < n; i++) s += (i > from ? ', ' : '') + val(dfg.arg(inst, i));
  return s;
}

function formatDest(dfg: DataFlowGraph, inst: Inst, k: number): string {
  const bc = dfg.dest(inst, k);
  let s = 'block' + dfg.blockCallBlock(bc);
  const n = dfg.blockCallNumArgs(bc);
  if (n > 0) {
    s += '(';
    for (let i = 0; i < n; i++) s += (i > 0 ? ', ' : '') + val(dfg.blockCallArg(bc, i));
    s += ')';
  }
  return s;
}
