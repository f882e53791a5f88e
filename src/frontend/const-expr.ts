/**
 * Constant expressions (global initializers, segment offsets, element items). Wasm 2.0 allows exactly one constant
 * instruction before `end`: t.const, ref.null, ref.func, or global.get of an imported immutable global.
 *
 * Imported globals only, in every constant expression: the reference interpreter, V8 and wabt all agree on this,
 * while the 2.0 spec's prose validates segment offsets under the full context (WebAssembly/spec#1522).
 */
import { Op } from './opcodes.js';
import type { OperatorReader } from './operator-reader.js';
import { ConstExpr, type ModuleInfo } from './module-info.js';
import { opName } from './operator-table.js';
import { ValType, valTypeName } from './value-types.js';

/** Reads and validates a constant expression of type `expected` at reader.pos; leaves pos after its `end`. */
export function readConstExpr(reader: OperatorReader, module: ModuleInfo, expected: ValType): ConstExpr {
  const start = reader.pos;
  const op = reader.next();
  let type: ValType;
  let lo = 0;
  let hi = 0;
  let index = 0;
  let v128: Uint8Array | null = null;
  switch (op) {
    case Op.I32_CONST:
      type = ValType.I32;
      lo = reader.i32;
      break;
    case Op.I64_CONST:
      type = ValType.I64;
      lo = reader.i64lo;
      hi = reader.i64hi;
      break;
    case Op.F32_CONST:
      type = ValType.F32;
      lo = reader.f32bits;
      break;
    case Op.F64_CONST:
      type = ValType.F64;
      lo = reader.f64lo;
      hi = reader.f64hi;
      break;
    case Op.V128_CONST:
      type = ValType.V128;
      v128 = reader.v128.slice();
      break;
    case Op.REF_NULL:
      type = reader.valType;
      break;
    case Op.REF_FUNC:
      index = reader.index;
      if (index >= module.functions.length) reader.fail(`unknown function ${index}`, reader.opOffset);
      markFunctionRef(module, index);
      type = ValType.FUNCREF;
      break;
    case Op.GLOBAL_GET: {
      index = reader.index;
      if (index >= module.numImportedGlobals) {
        reader.fail(
          index < module.globals.length
            ? `unknown global ${index}: constant expressions may only read imported globals`
            : `unknown global ${index}`,
          reader.opOffset,
        );
      }
      const global = module.globals[index];
      if (global.mutable) reader.fail(`constant expression required: global ${index} is mutable`, reader.opOffset);
      type = global.type;
      break;
    }
    case Op.END:
      return reader.fail(`type mismatch: empty constant expression, expected ${valTypeName(expected)}`, reader.opOffset);
    default:
      return reader.fail(`constant expression required: ${opName(op)} is not a constant instruction`, reader.opOffset);
  }
  const endOp = reader.next();
  if (endOp !== Op.END) {
    reader.fail(
      isConstantOperator(endOp)
        ? 'type mismatch: constant expression required to be a single instruction, found a second value'
        : `constant expression required: ${opName(endOp)} is not a constant instruction`,
      reader.opOffset,
    );
  }
  if (type !== expected) {
    reader.fail(`type mismatch: expected ${valTypeName(expected)}, found ${valTypeName(type)}`, start);
  }
  return new ConstExpr(op, type, lo, hi, index, v128, start, reader.pos);
}

function isConstantOperator(op: number): boolean {
  return (
    op === Op.I32_CONST ||
    op === Op.I64_CONST ||
    op === Op.F32_CONST ||
    op === Op.F64_CONST ||
    op === Op.V128_CONST ||
    op === Op.REF_NULL ||
    op === Op.REF_FUNC ||
    op === Op.GLOBAL_GET
  );
}

/** Records a function index as declared (C.refs), so `ref.func` of it is valid in function bodies. */
export function markFunctionRef(module: ModuleInfo, funcIndex: number): void {
  let refs = module.declaredFunctionRefs;
  if (refs.length < module.functions.length) {
    const grown = new Uint8Array(module.functions.length);
    grown.set(refs);
    module.declaredFunctionRefs = refs = grown;
  }
  refs[funcIndex] = 1;
}

/** The i64 value of an i64.const expression, as a BigInt (for the runtime; the hot paths keep lo/hi halves). */
export function constExprI64(expr: ConstExpr): bigint {
  return BigInt.asIntN(64, (BigInt(expr.hi) << 32n) | BigInt(expr.lo >>> 0));
}

const scratch = new DataView(new ArrayBuffer(8));

/** The f32 value of an f32.const expression. */
export function constExprF32(expr: ConstExpr): number {
  scratch.setInt32(0, expr.lo, true);
  return scratch.getFloat32(0, true);
}

/** The f64 value of an f64.const expression. */
export function constExprF64(expr: ConstExpr): number {
  scratch.setInt32(0, expr.lo, true);
  scratch.setInt32(4, expr.hi, true);
  return scratch.getFloat64(0, true);
}
