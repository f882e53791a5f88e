// Float ↔ int conversions with wasm semantics:
//
//   fcvt_to_sint       → cvttsd2si; if the result is the "indefinite" INT_MIN: NaN → trap bad_conversion,
//                        out of range → trap int_ovf (an exact INT_MIN input is fine)
//   fcvt_to_uint       → NaN → bad_conversion; ≤ -1 or ≥ 2^N → int_ovf; then a signed 64-bit convert (with a
//                        2^63 bias for u64 inputs ≥ 2^63)
//   fcvt_to_*_sat      → the same ranges, saturating (NaN → 0)
//   fcvt_from_sint     → xorps d, d; cvtsi2sd d, s
//   fcvt_from_uint     → u32: zero-extend and convert as i64; u64: halve-and-round-to-odd for values ≥ 2^63
//
// The checked sequences are single machine ops (CvtFToInt …) whose internal branches go to out-of-line trap stubs.

import { F32, I64, Opcode, TrapCode } from '../ir/index.js';
import type { Lowerer } from './lower.js';
import { CVT_SAT, CVT_SIGNED, MOp } from './mops.js';
import { RegClass, defEarlyReg, defReg, useAny, useReg } from './regalloc-types.js';

export function lowerConvertInst(ctx: Lowerer, inst: number, op: number): boolean {
  const dfg = ctx.dfg;
  switch (op) {
    case Opcode.fcvt_to_sint:
    case Opcode.fcvt_to_uint:
    case Opcode.fcvt_to_sint_sat:
    case Opcode.fcvt_to_uint_sat: {
      const x = dfg.arg(inst, 0);
      const signed = op === Opcode.fcvt_to_sint || op === Opcode.fcvt_to_sint_sat;
      const sat = op === Opcode.fcvt_to_sint_sat || op === Opcode.fcvt_to_uint_sat;
      ctx.begin(MOp.CvtFToInt, ctx.intSize(dfg.instType(inst)), (signed ? CVT_SIGNED : 0) | (sat ? CVT_SAT : 0));
      ctx.use(useReg(ctx.vreg(x)));
      ctx.use(defReg(ctx.result()));
      ctx.setImm(dfg.valueType(x) === F32 ? 4 : 8);
      if (!sat) {
        // Two consecutive sites: NaN, then out of range.
        const site = ctx.trapSite(TrapCode.bad_conversion);
        ctx.trapSite(TrapCode.int_ovf);
        ctx.setAux(site);
      }
      ctx.end();
      return true;
    }
    case Opcode.fcvt_from_sint: {
      const x = dfg.arg(inst, 0);
      ctx.begin(MOp.CvtSintToF, ctx.intSize(dfg.valueType(x)), dfg.instType(inst) === F32 ? 4 : 8);
      ctx.use(useAny(ctx.vreg(x)));
      ctx.use(defReg(ctx.result()));
      ctx.end();
      return true;
    }
    case Opcode.fcvt_from_uint: {
      const x = dfg.arg(inst, 0);
      const fsize = dfg.instType(inst) === F32 ? 4 : 8;
      if (dfg.valueType(x) === I64) {
        ctx.begin(MOp.CvtU64ToF, 8, fsize);
        ctx.use(useReg(ctx.vreg(x)));
        ctx.use(defReg(ctx.result()));
        ctx.use(defEarlyReg(ctx.newVReg(RegClass.Int)));
      } else {
        ctx.begin(MOp.CvtU32ToF, 4, fsize);
        ctx.use(useReg(ctx.vreg(x)));
        ctx.use(defReg(ctx.result()));
      }
      ctx.end();
      return true;
    }
    default:
      return false;
  }
}
