/**
 * A reference model of the fuel rules (src/frontend/fuel.md), written independently of the translator: one forward
 * scan over a body's operators that only tracks reachability, the control nesting and the pending cost — no IR. It
 * lists each flush (operator offset, amount added) and each trap site (operator offset, cost counted if it traps).
 */
import { Op, OperatorReader, type ModuleInfo } from '../../src/frontend/index.js';

const FREE = new Set<number>([Op.NOP, Op.DROP, Op.BLOCK, Op.LOOP, Op.UNREACHABLE, Op.RETURN, Op.ELSE, Op.END]);

const MEMORY_ACCESS = new Set<number>();
for (let op = Op.I32_LOAD; op <= Op.I64_STORE32; op++) MEMORY_ACCESS.add(op);
const DIVISIONS = new Set<number>([
  Op.I32_DIV_S, Op.I32_DIV_U, Op.I32_REM_S, Op.I32_REM_U, Op.I64_DIV_S, Op.I64_DIV_U, Op.I64_REM_S, Op.I64_REM_U,
]);
const TRAPPING_TRUNCATIONS = new Set<number>();
for (let op = Op.I32_TRUNC_F32_S; op <= Op.I64_TRUNC_F64_U; op++) {
  if (op !== Op.I64_EXTEND_I32_S && op !== Op.I64_EXTEND_I32_U) TRAPPING_TRUNCATIONS.add(op);
}
const STATUS_BUILTINS = new Set<number>([
  Op.MEMORY_FILL, Op.MEMORY_COPY, Op.MEMORY_INIT, Op.TABLE_FILL, Op.TABLE_COPY, Op.TABLE_INIT,
]);

/** Number of trap sites (cold trap blocks) an operator gets, when reachable. Divisions: see `divisionSites`. */
function trapSites(op: number): number {
  if (MEMORY_ACCESS.has(op) || op === Op.TABLE_GET || op === Op.TABLE_SET || STATUS_BUILTINS.has(op)) return 1;
  if (op === Op.CALL_INDIRECT) return 3; // table bounds, null, signature
  if (TRAPPING_TRUNCATIONS.has(op)) return 1; // NaN or out of range
  return 0;
}

export interface ReferenceFuel {
  /** [offset, amount] per flush with amount > 0, in order. */
  flushes: [number, number][];
  /** [offset, pending] per trap site (divisions: at most 2 each, see `divisionSites`), in order. */
  traps: [number, number][];
  /** Offsets of division operators (whose guards a constant divisor may remove). */
  divisions: Set<number>;
}

const enum Kind { Block, Loop, If, Else, Function }

interface Frame {
  kind: Kind;
  /** Reachable when the frame opened. */
  live: boolean;
  /** A reachable branch targets the frame's end (not for loops: those branch to the start). */
  targeted: boolean;
  /** Else frames: the then-arm's end was reachable. */
  thenJumped: boolean;
}

export function referenceFuel(module: ModuleInfo, funcIndex: number): ReferenceFuel {
  const decl = module.functions[funcIndex];
  const r = new OperatorReader(module.bytes);
  r.reset(module.bytes, decl.bodyStart, decl.bodyEnd, funcIndex);
  r.readLocals(module.types[decl.typeIndex].params);
  const out: ReferenceFuel = { flushes: [], traps: [], divisions: new Set() };
  const frames: Frame[] = [{ kind: Kind.Function, live: true, targeted: false, thenJumped: false }];
  let reachable = true;
  let pending = 0;
  const flush = (at: number) => {
    if (pending > 0) out.flushes.push([at, pending]);
    pending = 0;
  };
  const target = (depth: number) => {
    const f = frames[frames.length - 1 - depth];
    if (f.kind !== Kind.Loop) f.targeted = true;
  };
  for (;;) {
    const op = r.next();
    const at = r.opOffset;
    if (!reachable) {
      if (op === Op.BLOCK || op === Op.LOOP || op === Op.IF) {
        frames.push({ kind: op === Op.LOOP ? Kind.Loop : op === Op.IF ? Kind.If : Kind.Block, live: false, targeted: false, thenJumped: false });
      } else if (op === Op.ELSE) {
        const f = frames[frames.length - 1];
        f.kind = Kind.Else;
        reachable = f.live;
      } else if (op === Op.END) {
        const f = frames.pop()!;
        if (f.kind === Kind.Function) return out;
        reachable = f.live && f.kind !== Kind.Loop && (f.kind === Kind.If || f.targeted || f.thenJumped);
      }
      continue;
    }
    if (!FREE.has(op)) pending++;
    for (let i = 0; i < trapSites(op); i++) out.traps.push([at, pending]);
    if (DIVISIONS.has(op)) {
      out.divisions.add(at);
      out.traps.push([at, pending]);
      if (op === Op.I32_DIV_S || op === Op.I64_DIV_S) out.traps.push([at, pending]);
    }
    switch (op) {
      case Op.BLOCK:
        frames.push({ kind: Kind.Block, live: true, targeted: false, thenJumped: false });
        break;
      case Op.LOOP:
        flush(at);
        frames.push({ kind: Kind.Loop, live: true, targeted: false, thenJumped: false });
        break;
      case Op.IF:
        flush(at);
        frames.push({ kind: Kind.If, live: true, targeted: false, thenJumped: false });
        break;
      case Op.ELSE: {
        flush(at);
        const f = frames[frames.length - 1];
        f.kind = Kind.Else;
        f.thenJumped = true;
        break;
      }
      case Op.END: {
        const f = frames.pop()!;
        if (f.kind === Kind.Function || f.kind === Kind.If || f.targeted || f.thenJumped) flush(at);
        if (f.kind === Kind.Function) return out;
        break;
      }
      case Op.BR:
        flush(at);
        target(r.index);
        reachable = false;
        break;
      case Op.BR_IF:
        flush(at);
        target(r.index);
        break;
      case Op.BR_TABLE:
        flush(at);
        for (let i = 0; i < r.brTableCount; i++) target(r.brTableTargets[i]);
        target(r.index);
        reachable = false;
        break;
      case Op.RETURN:
      case Op.UNREACHABLE:
        flush(at);
        reachable = false;
        break;
      case Op.CALL:
      case Op.CALL_INDIRECT:
        flush(at);
        break;
      default:
        break;
    }
  }
}
