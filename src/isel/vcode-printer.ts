// Text form of VCode (`kindling compile --emit vcode`): machine instructions on virtual registers before allocation.
//
//   block2(v7, v8):  ; from block1, preds block0 block3
//     v9 = lea.4 [v7 + v8*4 + 0x10]
//     v10 = alu.add.4 v9, v11:any        (operand annotations: @reg fixed, :any reg-or-slot, ^k reuses operand k,
//     cmp.cmp.4 v10, 100                  :early / :late position, :stack)
//     jcc.l -> block3, block4(v10)

import { ALU_NAMES, BIT_NAMES, SHIFT_NAMES, SSE_NAMES, UNARY_NAMES, regName } from '../x64/index.js';
import { conditionName } from './conds.js';
import {
  AmKind,
  CALL_BUILTIN,
  CALL_DIRECT,
  CMP_TEST,
  CVT_SAT,
  CVT_SIGNED,
  EXTEND_KIND_NAMES,
  LOAD_KIND_NAMES,
  MASK_KIND_NAMES,
  MOP_NAMES,
  MOp,
  STORE_KIND_NAMES,
} from './mops.js';
import {
  OperandConstraint,
  OperandKind,
  OperandPos,
  operandConstraint,
  operandKind,
  operandPayload,
  operandPos,
  operandVReg,
} from './regalloc-types.js';
import type { VCode } from './vcode.js';

function subName(op: number, sub: number): string {
  switch (op) {
    case MOp.AluRR:
    case MOp.AluRI:
    case MOp.AluRM:
    case MOp.AluMI:
    case MOp.AluMR:
      return ALU_NAMES[sub] ?? String(sub);
    case MOp.CmpRR:
    case MOp.CmpRI:
    case MOp.CmpRM:
    case MOp.CmpMI:
    case MOp.CmpMR:
      return sub === CMP_TEST ? 'test' : 'cmp';
    case MOp.ShiftRI:
    case MOp.ShiftRCl:
      return SHIFT_NAMES[sub] ?? String(sub);
    case MOp.Unary:
      return UNARY_NAMES[sub] ?? String(sub);
    case MOp.Div:
    case MOp.SremSeq:
      return sub === 1 ? 'signed' : 'unsigned';
    case MOp.TrapIf:
    case MOp.Setcc:
    case MOp.Cmov:
    case MOp.XmmCmov:
    case MOp.JccJmp:
      return conditionName(sub);
    case MOp.Movx:
      return EXTEND_KIND_NAMES[sub] ?? String(sub);
    case MOp.BitRR:
      return BIT_NAMES[sub] ?? String(sub);
    case MOp.Load:
    case MOp.LoadIncoming:
    case MOp.LoadRetArea:
      return LOAD_KIND_NAMES[sub] ?? String(sub);
    case MOp.Store:
    case MOp.StoreOutgoing:
      return STORE_KIND_NAMES[sub] ?? String(sub);
    case MOp.XmmRR:
    case MOp.XmmRM:
    case MOp.XmmUnary:
    case MOp.XmmMaskOp:
      return SSE_NAMES[sub] ?? String(sub);
    case MOp.FMinMax:
      return sub === 1 ? 'max' : 'min';
    case MOp.Call:
      return sub === CALL_DIRECT ? 'direct' : sub === CALL_BUILTIN ? 'builtin' : 'indirect';
    case MOp.CvtFToInt:
      return `${sub & CVT_SIGNED ? 's' : 'u'}${sub & CVT_SAT ? '.sat' : ''}`;
    case MOp.CvtSintToF:
    case MOp.CvtU32ToF:
    case MOp.CvtU64ToF:
      return sub === 4 ? 'f32' : 'f64';
    default:
      return '';
  }
}

function operandText(op: number): string {
  const v = `v${operandVReg(op)}`;
  const con = operandConstraint(op);
  const payload = operandPayload(op);
  let s = v;
  if (con === OperandConstraint.FixedReg) s += `@${regName(payload)}`;
  else if (con === OperandConstraint.Any) s += ':any';
  else if (con === OperandConstraint.Stack) s += ':stack';
  else if (con === OperandConstraint.Reuse) s += `^${payload}`;
  const pos = operandPos(op);
  const kind = operandKind(op);
  if (kind === OperandKind.Def && pos === OperandPos.Early) s += ':early';
  if (kind === OperandKind.Use && pos === OperandPos.Late) s += ':late';
  return s;
}

/** One instruction as text. */
export function formatVInst(vcode: VCode, i: number): string {
  const v = vcode.insts;
  const op = v.op[i];
  const ops = vcode.operands;
  const start = vcode.operandStart[i];
  const end = vcode.operandStart[i + 1];
  const amStart = v.amStart(i);
  const defs: string[] = [];
  const uses: string[] = [];
  for (let j = start; j < (amStart >= 0 ? start + amStart : end); j++) {
    (operandKind(ops[j]) === OperandKind.Def ? defs : uses).push(operandText(ops[j]));
  }
  let name = MOP_NAMES[op] ?? `op${op}`;
  name = name.charAt(0).toLowerCase() + name.slice(1);
  const sub = subName(op, v.sub[i]);
  if (sub !== '') name += `.${sub}`;
  if (v.size[i] !== 0) name += `.${v.size[i]}`;
  const parts = uses.slice();
  const kind = v.amKind[i];
  if (kind !== AmKind.None) {
    if (kind === AmKind.Const) {
      parts.push(`[const${v.amDisp[i]}]`);
    } else {
      const terms: string[] = [];
      if (kind === AmKind.Base || kind === AmKind.BaseIndex) terms.push(`v${operandVReg(ops[start + amStart])}`);
      if (kind === AmKind.BaseIndex || kind === AmKind.Index) {
        const ix = operandVReg(ops[start + amStart + (kind === AmKind.BaseIndex ? 1 : 0)]);
        terms.push(v.amShift[i] === 0 ? `v${ix}` : `v${ix}*${1 << v.amShift[i]}`);
      }
      const d = v.amDisp[i];
      let t = terms.join(' + ');
      if (d > 0) t += ` + 0x${d.toString(16)}`;
      else if (d < 0) t += ` - 0x${(-d).toString(16)}`;
      parts.push(`[${t}]`);
    }
  }
  if (op === MOp.XmmConst) parts.push(floatText(v.imm[i], v.immHi[i], v.size[i]));
  else if (op === MOp.Round || op === MOp.RoundSse2) parts.push(ROUND_NAMES[v.imm[i] & 3]);
  else if (hasImm(op)) parts.push(immText(v.imm[i], v.immHi[i], v.size[i]));
  const aux = auxText(vcode, i);
  if (aux !== '') parts.push(aux);
  let s = defs.length > 0 ? `${defs.join(', ')} = ${name}` : name;
  if (parts.length > 0) s += ` ${parts.join(', ')}`;
  return s;
}

function hasImm(op: number): boolean {
  switch (op) {
    case MOp.MovImm:
    case MOp.AluRI:
    case MOp.AluMI:
    case MOp.CmpRI:
    case MOp.CmpMI:
    case MOp.ImulRRI:
    case MOp.ShiftRI:
    case MOp.StoreImm:
      return true;
    default:
      return false;
  }
}

function immText(lo: number, hi: number, size: number): string {
  if (size === 8 && hi !== lo >> 31) return `0x${((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16)}`;
  return String(lo);
}

const ROUND_NAMES = ['nearest', 'floor', 'ceil', 'trunc'];
const scratch = new DataView(new ArrayBuffer(8));

function floatText(lo: number, hi: number, size: number): string {
  if (size === 4) {
    scratch.setInt32(0, lo, true);
    return String(scratch.getFloat32(0, true));
  }
  scratch.setInt32(0, lo, true);
  scratch.setInt32(4, hi, true);
  return String(scratch.getFloat64(0, true));
}

function auxText(vcode: VCode, i: number): string {
  const v = vcode.insts;
  const aux = v.aux[i];
  const sites = vcode.trapSites;
  switch (v.op[i]) {
    case MOp.TrapIf:
    case MOp.Trap:
    case MOp.SdivOvfCheck:
      return `trap#${aux}(${trapName(sites.code[aux])})`;
    case MOp.CvtFToInt:
      return (v.sub[i] & CVT_SAT) !== 0 ? `from f${v.imm[i] * 8}` : `from f${v.imm[i] * 8}, trap#${aux}, trap#${aux + 1}`;
    case MOp.XmmMaskOp:
      return MASK_KIND_NAMES[aux] ?? String(aux);
    case MOp.Call:
      return v.sub[i] === CALL_DIRECT ? `func ${aux}` : v.sub[i] === CALL_BUILTIN ? `builtin ${aux}` : '';
    case MOp.LoadIncoming:
      return `[incoming + ${aux}]`;
    case MOp.StoreOutgoing:
      return `[outgoing + ${aux}]`;
    case MOp.LeaRetArea:
    case MOp.LoadRetArea:
      return `[retarea + ${aux}]`;
    case MOp.JtAddr:
      return `table${aux}`;
    default:
      return '';
  }
}

const TRAP_NAMES = ['', 'unreachable', 'int_divz', 'int_ovf', 'bad_conversion', 'heap_oob', 'table_oob', 'indirect_null', 'bad_sig', 'stack_overflow', 'out_of_fuel', 'interrupted'];
function trapName(code: number): string {
  return TRAP_NAMES[code] ?? `trap${code}`;
}

/** The whole function. */
export function printVCode(vcode: VCode): string {
  const lines: string[] = [];
  lines.push(`vcode %${vcode.func.name}: ${vcode.numBlocks} blocks, ${vcode.numInsts} insts, ${vcode.numVRegs} vregs`);
  for (let b = 0; b < vcode.numBlocks; b++) {
    const params: string[] = [];
    for (let k = vcode.blockParamStart[b]; k < vcode.blockParamStart[b + 1]; k++) params.push(`v${vcode.blockParams[k]}`);
    const preds: string[] = [];
    for (let k = vcode.predStart[b]; k < vcode.predStart[b + 1]; k++) preds.push(`block${vcode.preds[k]}`);
    const ir = vcode.blockIrBlock[b];
    let head = `block${b}${params.length > 0 ? `(${params.join(', ')})` : ''}:`;
    const notes: string[] = [];
    notes.push(ir >= 0 ? `ir block${ir}` : b === 0 ? 'entry' : 'edge split');
    if (preds.length > 0) notes.push(`preds ${preds.join(' ')}`);
    head += `  ; ${notes.join(', ')}`;
    lines.push(head);
    for (let i = vcode.blockInstStart[b]; i < vcode.blockInstEnd[b]; i++) {
      let text = formatVInst(vcode, i);
      if (i === vcode.blockInstEnd[b] - 1) {
        const targets: string[] = [];
        for (let s = vcode.succStart[b]; s < vcode.succStart[b + 1]; s++) {
          const args: string[] = [];
          for (let k = vcode.branchArgStart[s]; k < vcode.branchArgStart[s + 1]; k++) args.push(`v${vcode.branchArgs[k]}`);
          targets.push(`block${vcode.succs[s]}${args.length > 0 ? `(${args.join(', ')})` : ''}`);
        }
        if (targets.length > 0) text += ` -> ${targets.join(', ')}`;
      }
      lines.push(`    ${text}`);
    }
  }
  return lines.join('\n') + '\n';
}
