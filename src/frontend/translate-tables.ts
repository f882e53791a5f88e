/**
 * Tables and references. References are i64 words: a *VMFuncRef (funcref) or a host handle (externref); 0 is null.
 *
 * table.get / table.set / table.size are inline: the element array and its length come from the table's
 * VMTableDefinition (its pointer is readonly and hoisted; base and length change with table.grow, so they are
 * loaded at each use). The other table operators go through runtime builtins; a nonzero status means the builtin
 * recorded a trap (or a host exception): `trapnz status, host`, and the runtime reports the recorded one.
 */
import { I32, I64, IntCC, MemFlag, TrapCode, type Value } from '../ir/index.js';
import { Op } from './opcodes.js';
import type { FunctionTranslator } from './translate.js';
import { VMCTX_MUTABLE, VMCTX_READONLY } from './translate-env.js';
import { Builtin, TABLE_ELEMENT_SIZE, VMTABLE_BASE, VMTABLE_LENGTH } from './vm-offsets.js';

/** Table elements, after the bounds check. */
export const TABLE_ELEMENT_FLAGS = MemFlag.notrap | MemFlag.aligned | MemFlag.table;

/** Bounds-checks `index` against table `table` (trap table_oob) and returns the element's address. */
export function tableElementAddress(t: FunctionTranslator, table: number, index: Value): Value {
  const ins = t.ins;
  const definition = t.tableDefinition(table);
  const length = ins.load(I32, VMCTX_MUTABLE, definition, VMTABLE_LENGTH);
  t.trapIf(ins.icmp(IntCC.uge, index, length), TrapCode.table_oob);
  const base = ins.load(I64, VMCTX_MUTABLE, definition, VMTABLE_BASE);
  return ins.iadd(base, ins.ishlImm(ins.uextend(I64, index), Math.log2(TABLE_ELEMENT_SIZE)));
}

export function translateTableOp(t: FunctionTranslator, op: number): void {
  const ins = t.ins;
  const r = t.reader;
  switch (op) {
    case Op.TABLE_GET: {
      const addr = tableElementAddress(t, r.index, t.pop());
      t.push(ins.load(I64, TABLE_ELEMENT_FLAGS, addr, 0));
      return;
    }
    case Op.TABLE_SET: {
      const value = t.pop();
      const addr = tableElementAddress(t, r.index, t.pop());
      ins.store(TABLE_ELEMENT_FLAGS, value, addr, 0);
      return;
    }
    case Op.TABLE_SIZE:
      t.push(ins.load(I32, VMCTX_MUTABLE, t.tableDefinition(r.index), VMTABLE_LENGTH));
      return;
    case Op.TABLE_GROW: {
      const delta = t.pop();
      const init = t.pop();
      t.push(t.callBuiltin(Builtin.TableGrow, [ins.iconst(I32, r.index), init, delta]));
      return;
    }
    case Op.TABLE_FILL: {
      const n = t.pop();
      const value = t.pop();
      const dst = t.pop();
      t.trapIf(t.callBuiltin(Builtin.TableFill, [ins.iconst(I32, r.index), dst, value, n]), TrapCode.host);
      return;
    }
    case Op.TABLE_COPY: {
      // index = destination table, index2 = source table.
      const n = t.pop();
      const src = t.pop();
      const dst = t.pop();
      const status = t.callBuiltin(Builtin.TableCopy, [ins.iconst(I32, r.index), ins.iconst(I32, r.index2), dst, src, n]);
      t.trapIf(status, TrapCode.host);
      return;
    }
    case Op.TABLE_INIT: {
      // index = element segment, index2 = table.
      const n = t.pop();
      const src = t.pop();
      const dst = t.pop();
      const status = t.callBuiltin(Builtin.TableInit, [ins.iconst(I32, r.index2), ins.iconst(I32, r.index), dst, src, n]);
      t.trapIf(status, TrapCode.host);
      return;
    }
    case Op.ELEM_DROP:
      t.callBuiltin(Builtin.ElemDrop, [ins.iconst(I32, r.index)]);
      return;
    case Op.REF_NULL:
      t.push(ins.iconst(I64, 0));
      return;
    case Op.REF_IS_NULL:
      t.push(ins.icmpImm(IntCC.eq, t.pop(), 0));
      return;
    default:
      throw new Error(`translateTableOp: operator ${op} is not a table operator`);
  }
}

/** ref.func: the instance's VMFuncRef of the function, from the funcRefs array. */
export function translateRefFunc(t: FunctionTranslator, funcIndex: number): void {
  t.push(t.ins.load(I64, VMCTX_READONLY, t.funcRefsPointer(), funcIndex * 8));
}
