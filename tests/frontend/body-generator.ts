/**
 * Generates random function bodies that are mostly valid (a simulated operand stack picks operators whose operands
 * are on it), so the differential test reaches deep into the validator: nested and multi-value blocks, branches of
 * every kind, unreachable code, calls, tables, references, bulk memory, SIMD. The oracle is V8, not this generator:
 * where its simulation is loose the module is simply invalid, which is just as good a test.
 */
import {
  ALL_OPERATORS,
  Imm,
  OP_IMMEDIATE,
  OP_LANES,
  OP_MAX_ALIGN,
  OP_PARAM0,
  OP_PARAM1,
  OP_PARAM2,
  OP_PARAM_COUNT,
  OP_RESULT,
  SPECIAL,
} from '../../src/frontend/operator-table.js';
import { Op } from '../../src/frontend/opcodes.js';
import { ValType, VAL_TYPE_CODE } from '../../src/frontend/value-types.js';
import { body, funcType, module, section, s32, u32, vec } from './wasm-builder.js';


/** The fixed context every generated body lives in. */
const TYPES: [number[], number[]][] = [
  [[], []],
  [[ValType.I32], [ValType.I32]],
  [[ValType.I64, ValType.F32], [ValType.F64, ValType.I32]],
  [[ValType.V128], [ValType.V128, ValType.I64]],
  [[ValType.I32, ValType.I32], []],
  [[], [ValType.FUNCREF, ValType.EXTERNREF]],
];
/** Defined functions 0–3 with these type indices; function 4 is the generated one (type 2's params + locals). */
const FUNC_TYPES = [0, 1, 3, 5];
const GEN_TYPE = 2;
const LOCALS: number[] = [ValType.I64, ValType.F32, ValType.I32, ValType.F64, ValType.V128, ValType.FUNCREF, ValType.EXTERNREF, ValType.I32]; // params first
const GLOBALS: [number, boolean][] = [[ValType.I32, true], [ValType.I64, true], [ValType.F32, false], [ValType.F64, true], [ValType.V128, true], [ValType.FUNCREF, true], [ValType.EXTERNREF, false]];
const TABLE_TYPES = [ValType.FUNCREF, ValType.EXTERNREF];

const SIMPLE_OPS = ALL_OPERATORS.filter((op) => OP_PARAM_COUNT[op] !== SPECIAL);

function opcodeBytes(op: number): number[] {
  if (op >= 0x200) return [0xfd, ...u32(op - 0x200)];
  if (op >= 0x100) return [0xfc, ...u32(op - 0x100)];
  return [op];
}

function constFor(t: number): number[] {
  switch (t) {
    case ValType.I32:
      return [Op.I32_CONST, 1];
    case ValType.I64:
      return [Op.I64_CONST, 2];
    case ValType.F32:
      return [Op.F32_CONST, 0, 0, 0x80, 0x3f];
    case ValType.F64:
      return [Op.F64_CONST, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
    case ValType.V128:
      return [0xfd, 12, ...new Array(16).fill(7)];
    case ValType.FUNCREF:
      return [Op.REF_NULL, 0x70];
    default:
      return [Op.REF_NULL, 0x6f];
  }
}

interface Frame {
  kind: number; // Op.BLOCK / LOOP / IF / ELSE, or -1 for the function
  params: number[];
  results: number[];
  height: number;
  unreachable: boolean;
}

export function generateModule(rng: () => number): Uint8Array<ArrayBuffer> {
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rng() * xs.length)];
  const chance = (p: number) => rng() < p;
  const code: number[] = [];
  const stack: number[] = [];
  const frames: Frame[] = [{ kind: -1, params: [], results: TYPES[GEN_TYPE][1], height: 0, unreachable: false }];
  const top = () => frames[frames.length - 1];
  const labelTypes = (f: Frame) => (f.kind === Op.LOOP ? f.params : f.results);
  /** Whether `types` are on top of the stack (or can come from the polymorphic bottom of an unreachable frame). */
  const onTop = (types: number[]) => {
    const f = top();
    for (let i = 0; i < types.length; i++) {
      const at = stack.length - types.length + i;
      if (at < f.height) {
        if (!f.unreachable) return false;
        continue;
      }
      if (stack[at] !== types[i]) return false;
    }
    return true;
  };
  const pop = (n: number) => stack.splice(Math.max(top().height, stack.length - n), n);
  const push = (...types: number[]) => stack.push(...types);
  const setUnreachable = () => {
    const f = top();
    stack.length = f.height;
    f.unreachable = true;
  };
  /** Makes the stack hold exactly `types` above the frame (drops extras, adds constants). */
  const settle = (types: number[]) => {
    const f = top();
    while (stack.length > f.height && !onTop(types)) {
      code.push(Op.DROP);
      stack.pop();
    }
    if (!onTop(types)) {
      for (const t of types) code.push(...constFor(t));
      push(...types);
    }
    while (stack.length - f.height > types.length) {
      // values below the results: cannot drop them from under, so reset by unreachable code
      code.push(Op.UNREACHABLE);
      setUnreachable();
      for (const t of types) code.push(...constFor(t));
      push(...types);
    }
  };
  const blockType = (): [number[], number[], number[]] => {
    const r = rng();
    if (r < 0.35) return [[], [], [0x40]];
    if (r < 0.7) {
      const t = pick([ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FUNCREF, ValType.EXTERNREF]);
      return [[], [t], [VAL_TYPE_CODE[t]]];
    }
    const ti = Math.floor(rng() * TYPES.length);
    return [TYPES[ti][0], TYPES[ti][1], s32(ti)];
  };

  const steps = 5 + Math.floor(rng() * 120);
  for (let s = 0; s < steps; s++) {
    const r = rng();
    const f = top();
    if (r < 0.3) {
      // A simple operator whose operands are on the stack (or any, on an unreachable stack).
      for (let tries = 0; tries < 8; tries++) {
        const op = pick(SIMPLE_OPS);
        const params = [OP_PARAM0[op], OP_PARAM1[op], OP_PARAM2[op]].slice(0, OP_PARAM_COUNT[op]);
        if (!onTop(params)) continue;
        code.push(...opcodeBytes(op));
        const imm = OP_IMMEDIATE[op];
        const maxAlign = Math.max(0, OP_MAX_ALIGN[op]);
        const lane = () => Math.floor(rng() * OP_LANES[op]);
        if (imm === Imm.MEMARG) code.push(Math.floor(rng() * (maxAlign + 1)), ...u32(Math.floor(rng() * 70000)));
        else if (imm === Imm.MEMARG_LANE) code.push(Math.floor(rng() * (maxAlign + 1)), 0, lane());
        else if (imm === Imm.LANE) code.push(lane());
        else if (imm === Imm.ZERO_BYTE) code.push(0);
        else if (imm === Imm.TWO_ZERO_BYTES) code.push(0, 0);
        else if (imm === Imm.I32 || imm === Imm.I64) code.push(...s32(Math.floor(rng() * 2000) - 1000));
        else if (imm === Imm.F32) code.push(1, 2, 3, 4);
        else if (imm === Imm.F64) code.push(1, 2, 3, 4, 5, 6, 7, 8);
        else if (imm === Imm.V128) code.push(...new Array(16).fill(9));
        else if (imm === Imm.SHUFFLE) code.push(...Array.from({ length: 16 }, () => Math.floor(rng() * 32)));
        pop(params.length);
        if (OP_RESULT[op] !== ValType.NONE) push(OP_RESULT[op]);
        break;
      }
    } else if (r < 0.45) {
      // Values from locals, globals, constants, references.
      const k = rng();
      if (k < 0.4) {
        const i = Math.floor(rng() * LOCALS.length);
        code.push(Op.LOCAL_GET, i);
        push(LOCALS[i]);
      } else if (k < 0.6) {
        const i = Math.floor(rng() * GLOBALS.length);
        code.push(Op.GLOBAL_GET, i);
        push(GLOBALS[i][0]);
      } else if (k < 0.9) {
        const t = pick([ValType.I32, ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FUNCREF, ValType.EXTERNREF]);
        code.push(...constFor(t));
        push(t);
      } else {
        code.push(Op.REF_FUNC, chance(0.05) ? 3 + Math.floor(rng() * 2) : Math.floor(rng() * 3)); // 0–2 are declared; 3, 4 are not
        push(ValType.FUNCREF);
      }
    } else if (r < 0.55 && stack.length > f.height) {
      // Consume a value.
      const t = stack[stack.length - 1];
      const k = rng();
      const localsOfType = LOCALS.map((lt, i) => [lt, i]).filter(([lt]) => lt === t).map(([, i]) => i);
      const globalsOfType = GLOBALS.map(([gt, m], i) => [gt, m, i] as const).filter(([gt, m]) => gt === t && m).map(([, , i]) => i);
      if (k < 0.3 && localsOfType.length > 0) {
        code.push(chance(0.5) ? Op.LOCAL_SET : Op.LOCAL_TEE, pick(localsOfType));
        if (code[code.length - 2] === Op.LOCAL_SET) pop(1);
      } else if (k < 0.45 && globalsOfType.length > 0) {
        code.push(Op.GLOBAL_SET, pick(globalsOfType));
        pop(1);
      } else if (k < 0.55 && (t === ValType.FUNCREF || t === ValType.EXTERNREF)) {
        code.push(Op.REF_IS_NULL);
        pop(1);
        push(ValType.I32);
      } else if (k < 0.7 && stack.length - f.height >= 2 && stack[stack.length - 2] === t) {
        // select: untyped for numbers/vectors, typed for references
        const a = t;
        code.push(...constFor(ValType.I32));
        push(ValType.I32);
        if (a === ValType.FUNCREF || a === ValType.EXTERNREF || chance(0.3)) code.push(Op.SELECT_T, 1, VAL_TYPE_CODE[a]);
        else code.push(Op.SELECT);
        pop(3);
        push(a);
      } else {
        code.push(Op.DROP);
        pop(1);
      }
    } else if (r < 0.65 && frames.length < 8) {
      // Open a block, loop or if.
      const [params, results, bt] = blockType();
      const kind = pick([Op.BLOCK, Op.LOOP, Op.IF]);
      if (kind === Op.IF) {
        settle([...params, ValType.I32]);
        pop(1);
      } else settle(params);
      code.push(kind, ...bt);
      pop(params.length);
      frames.push({ kind, params, results, height: stack.length, unreachable: false });
      push(...params);
    } else if (r < 0.75 && frames.length > 1) {
      // Close (or switch to else in) the innermost block.
      settle(f.results);
      if (f.kind === Op.IF && chance(0.5)) {
        code.push(Op.ELSE);
        stack.length = f.height;
        f.kind = Op.ELSE;
        f.unreachable = false;
        push(...f.params);
      } else {
        if (f.kind === Op.IF && f.params.join() !== f.results.join()) {
          code.push(Op.ELSE, Op.UNREACHABLE);
        }
        code.push(Op.END);
        frames.pop();
        stack.length = f.height;
        push(...f.results);
      }
    } else if (r < 0.85) {
      // Branches.
      const depth = Math.floor(rng() * frames.length);
      const target = frames[frames.length - 1 - depth];
      const k = rng();
      if (k < 0.35) {
        const types = labelTypes(target);
        settle([...types, ValType.I32]);
        code.push(Op.BR_IF, depth);
        // br_if leaves the label's types, concretely even where they came from an unreachable stack's bottom.
        pop(types.length + 1);
        push(...types);
      } else if (k < 0.6) {
        settle(labelTypes(target));
        code.push(Op.BR, depth);
        setUnreachable();
      } else if (k < 0.8) {
        const arity = labelTypes(target).length;
        const others = frames.map((_, d) => d).filter((d) => labelTypes(frames[frames.length - 1 - d]).join() === labelTypes(target).join() || (chance(0.03) && labelTypes(frames[frames.length - 1 - d]).length === arity));
        settle([...labelTypes(target), ValType.I32]);
        code.push(Op.BR_TABLE, ...u32(others.length), ...others.flatMap((d) => u32(d)), depth);
        setUnreachable();
      } else if (k < 0.9) {
        settle(frames[0].results);
        code.push(Op.RETURN);
        setUnreachable();
      } else {
        code.push(Op.UNREACHABLE);
        setUnreachable();
      }
    } else if (r < 0.93) {
      // Calls.
      if (chance(0.6)) {
        const fi = Math.floor(rng() * FUNC_TYPES.length);
        const [params, results] = TYPES[FUNC_TYPES[fi]];
        settle(params);
        code.push(Op.CALL, fi);
        pop(params.length);
        push(...results);
      } else {
        const ti = Math.floor(rng() * TYPES.length);
        const [params, results] = TYPES[ti];
        settle([...params, ValType.I32]);
        code.push(Op.CALL_INDIRECT, ti, 0);
        pop(params.length + 1);
        push(...results);
      }
    } else {
      // Tables, segments, bulk memory.
      const k = Math.floor(rng() * 9);
      const ti = Math.floor(rng() * 2);
      const et = TABLE_TYPES[ti];
      const rarely = (valid: number, invalid: number) => (chance(0.05) ? invalid : valid);
      const emit = (bytes: number[], params: number[], results: number[]) => {
        settle(params);
        code.push(...bytes);
        pop(params.length);
        push(...results);
      };
      if (k === 0) emit([Op.TABLE_GET, ti], [ValType.I32], [et]);
      else if (k === 1) emit([Op.TABLE_SET, ti], [ValType.I32, et], []);
      else if (k === 2) emit([0xfc, 16, ti], [], [ValType.I32]);
      else if (k === 3) emit([0xfc, 15, ti], [et, ValType.I32], [ValType.I32]);
      else if (k === 4) emit([0xfc, 17, ti], [ValType.I32, et, ValType.I32], []);
      // (segment and table indices are valid, except rarely: the validator's errors get exercised too)
      else if (k === 5) emit([0xfc, 12, rarely(0, 2), rarely(0, 1)], [ValType.I32, ValType.I32, ValType.I32], []); // table.init elem, table
      else if (k === 6) emit([0xfc, 14, ti, rarely(ti, 1 - ti)], [ValType.I32, ValType.I32, ValType.I32], []); // table.copy
      else if (k === 7) emit([0xfc, 8, rarely(Math.floor(rng() * 2), 2), 0], [ValType.I32, ValType.I32, ValType.I32], []); // memory.init
      else if (chance(0.5)) emit([0xfc, 9, rarely(Math.floor(rng() * 2), 2)], [], []); // data.drop
      else emit([0xfc, 13, rarely(Math.floor(rng() * 2), 2)], [], []); // elem.drop
    }
  }
  // Close everything.
  while (frames.length > 1) {
    const f = top();
    settle(f.results);
    if (f.kind === Op.IF && f.params.join() !== f.results.join()) code.push(Op.ELSE, Op.UNREACHABLE);
    code.push(Op.END);
    frames.pop();
    stack.length = f.height;
    push(...f.results);
  }
  settle(frames[0].results);

  const types = TYPES.map(([p, r]) => funcType(p.map((t) => VAL_TYPE_CODE[t]), r.map((t) => VAL_TYPE_CODE[t])));
  const emptyBody = (ti: number) => body([], TYPES[ti][1].flatMap(constFor));
  const genParams = TYPES[GEN_TYPE][0].length;
  const localGroups: [number, number][] = LOCALS.slice(genParams).map((t) => [1, VAL_TYPE_CODE[t]]);
  return module(
    section(1, vec(types)),
    section(3, vec([...FUNC_TYPES, GEN_TYPE].map((t) => u32(t)))),
    section(4, vec(TABLE_TYPES.map((t) => [VAL_TYPE_CODE[t], 0x00, 4]))),
    section(5, vec([[0x00, 1]])),
    section(6, vec(GLOBALS.map(([t, m]) => [VAL_TYPE_CODE[t], m ? 1 : 0, ...constFor(t), Op.END]))),
    section(9, vec([[0x01, 0x00, ...vec([[0], [1]])], [0x03, 0x00, ...vec([[2]])]])), // passive funcref [0, 1]; declare [2]
    section(12, u32(2)),
    section(10, vec([...FUNC_TYPES.map(emptyBody), body(localGroups, code)])),
    section(11, vec([[0x01, ...vec([[1], [2]])], [0x01, 0]])),
  );
}
