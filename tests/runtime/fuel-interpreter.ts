/**
 * A tiny wasm interpreter that counts fuel, written for the exact-fuel tests independently of kindling's compiler:
 * it decodes the binary itself, executes a subset of Wasm (i32 integer code, locals, globals, one memory, structured
 * control with at most one result, direct calls), and applies the cost model literally:
 *
 *   every executed operator costs 1, except nop, drop, block, loop, unreachable, return, else and end (cost 0);
 *   a trapping operator is counted before it traps;
 *   fuel is checked on entry to every function and on every arrival at a loop header (falling in or branching back):
 *   with no fuel remaining (remaining ≤ 0) the run stops with out_of_fuel.
 *
 * Anything outside the subset throws, so a test cannot silently compare against a wrong model.
 */

export type TrapName = 'unreachable' | 'int_divz' | 'int_ovf' | 'heap_oob' | 'out_of_fuel' | 'stack_overflow';

export class InterpTrap extends Error {
  constructor(readonly trap: TrapName) {
    super(trap);
  }
}

interface Func {
  readonly typeIndex: number;
  readonly numParams: number;
  readonly numResults: number;
  readonly localCount: number;
  /** Body bytes [start, end) in the module. */
  readonly start: number;
  readonly end: number;
  /** Per control operator offset: the offset of its matching `end` (and of `else` for ifs). */
  readonly endOf: Map<number, number>;
  readonly elseOf: Map<number, number>;
}

const FREE = new Set([0x01, 0x1a, 0x02, 0x03, 0x00, 0x0f, 0x05, 0x0b]);

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}
  u8(): number {
    return this.bytes[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  s32(): number {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return Number(BigInt.asIntN(32, result));
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

/** Skips one operator's immediates (the subset), returning its opcode. */
function skipOperator(r: Reader): number {
  const op = r.u8();
  switch (op) {
    case 0x02:
    case 0x03:
    case 0x04:
      r.s32(); // block type (empty 0x40 or a value type: both single bytes, read as sleb)
      break;
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
      r.u32();
      break;
    case 0x0e: {
      const n = r.u32();
      for (let i = 0; i <= n; i++) r.u32();
      break;
    }
    case 0x28:
    case 0x36:
      r.u32();
      r.u32();
      break;
    case 0x41:
      r.s32();
      break;
    case 0x3f:
    case 0x40:
      r.u8();
      break;
    default:
      if (!((op >= 0x45 && op <= 0x4f) || (op >= 0x67 && op <= 0x78) || op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b)) {
        throw new Error(`fuel interpreter: operator 0x${op.toString(16)} is outside the supported subset`);
      }
  }
  return op;
}

export class FuelInterpreter {
  private readonly types: { params: number; results: number }[] = [];
  private readonly funcs: Func[] = [];
  readonly exports = new Map<string, number>();
  readonly globals: number[] = [];
  memory: Uint8Array = new Uint8Array(0);
  /** Fuel remaining (may go negative: costs are counted before the next check). */
  remaining = 0;

  setFuel(n: number): void {
    this.remaining = n;
  }

  /** Like Store.addFuel: an overdraft is forgiven, the new fuel counts from 0. */
  addFuel(n: number): void {
    this.remaining = Math.max(this.remaining, 0) + n;
  }

  get fuelLeft(): number {
    return Math.max(this.remaining, 0);
  }
  consumed = 0;
  private depth = 0;
  /** Calls deeper than this trap with stack_overflow (kindling's limit differs; tests avoid reaching either). */
  maxDepth = 10_000;

  constructor(readonly bytes: Uint8Array) {
    const r = new Reader(bytes, 8);
    const funcTypes: number[] = [];
    while (r.pos < bytes.length) {
      const id = r.u8();
      const size = r.u32();
      const end = r.pos + size;
      if (id === 1) {
        for (let n = r.u32(); n > 0; n--) {
          r.u8();
          const params = r.u32();
          r.pos += params;
          const results = r.u32();
          r.pos += results;
          this.types.push({ params, results });
        }
      } else if (id === 3) {
        for (let n = r.u32(); n > 0; n--) funcTypes.push(r.u32());
      } else if (id === 5) {
        r.u32();
        const flags = r.u8();
        const min = r.u32();
        if (flags & 1) r.u32();
        this.memory = new Uint8Array(min * 65536);
      } else if (id === 6) {
        for (let n = r.u32(); n > 0; n--) {
          r.u8();
          r.u8();
          if (r.u8() !== 0x41) throw new Error('fuel interpreter: globals must be i32.const-initialised');
          this.globals.push(r.s32());
          r.u8();
        }
      } else if (id === 7) {
        for (let n = r.u32(); n > 0; n--) {
          const name = r.name();
          const kind = r.u8();
          const index = r.u32();
          if (kind === 0) this.exports.set(name, index);
        }
      } else if (id === 10) {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          const bodySize = r.u32();
          const bodyEnd = r.pos + bodySize;
          let localCount = 0;
          for (let groups = r.u32(); groups > 0; groups--) {
            localCount += r.u32();
            r.u8();
          }
          const type = this.types[funcTypes[i]!]!;
          this.funcs.push(this.scan(funcTypes[i]!, type.params, type.results, localCount, r.pos, bodyEnd));
          r.pos = bodyEnd;
        }
      } else if (id === 2) {
        throw new Error('fuel interpreter: imports are not supported');
      }
      r.pos = end;
    }
  }

  /** Matches control operators with their else / end. */
  private scan(typeIndex: number, numParams: number, numResults: number, localCount: number, start: number, end: number): Func {
    const endOf = new Map<number, number>();
    const elseOf = new Map<number, number>();
    const open: number[] = [];
    const r = new Reader(this.bytes, start);
    while (r.pos < end) {
      const at = r.pos;
      const op = skipOperator(r);
      if (op === 0x02 || op === 0x03 || op === 0x04) open.push(at);
      else if (op === 0x05) elseOf.set(open[open.length - 1]!, at);
      else if (op === 0x0b && open.length > 0) endOf.set(open.pop()!, at);
    }
    return { typeIndex, numParams, numResults, localCount, start, end, endOf, elseOf };
  }

  private charge(op: number): void {
    if (!FREE.has(op)) {
      this.consumed++;
      this.remaining--;
    }
  }

  private check(): void {
    if (this.remaining <= 0) throw new InterpTrap('out_of_fuel');
  }

  /** Calls an export; throws InterpTrap on a trap. */
  invoke(name: string, args: number[]): number[] {
    const index = this.exports.get(name);
    if (index === undefined) throw new Error(`no export ${name}`);
    this.depth = 0;
    return this.call(index, args);
  }

  private call(index: number, args: number[]): number[] {
    const f = this.funcs[index]!;
    if (++this.depth > this.maxDepth) {
      this.depth = 0;
      throw new InterpTrap('stack_overflow');
    }
    this.check();
    const locals = [...args, ...new Array<number>(f.localCount).fill(0)];
    const stack: number[] = [];
    // Labels: [kind (0 block/if, 1 loop), continuation pc, stack height, arity].
    const labels: number[][] = [];
    const r = new Reader(this.bytes, f.start);
    const branch = (depth: number): void => {
      const label = labels[labels.length - 1 - depth]!;
      const [kind, pc, height, arity] = label as [number, number, number, number];
      const kept = stack.splice(stack.length - arity, arity);
      stack.length = height;
      stack.push(...kept);
      labels.length -= depth;
      if (kind === 1) {
        r.pos = pc; // loop: back to the header (the label stays)
        this.check();
      } else {
        labels.length--;
        r.pos = pc;
      }
    };
    const pop = (): number => stack.pop()!;
    while (r.pos < f.end) {
      const at = r.pos;
      const op = skipOperatorPeek(r);
      this.charge(op);
      switch (op) {
        case 0x00:
          throw new InterpTrap('unreachable');
        case 0x01:
          break;
        case 0x02:
        case 0x03: {
          const arity = readBlockArity(r);
          if (op === 0x03) {
            labels.push([1, r.pos, stack.length, 0]);
            this.check();
          } else labels.push([0, f.endOf.get(at)! + 1, stack.length, arity]);
          break;
        }
        case 0x04: {
          const arity = readBlockArity(r);
          const cond = pop();
          labels.push([0, f.endOf.get(at)! + 1, stack.length, arity]);
          if (cond === 0) {
            const e = f.elseOf.get(at);
            if (e !== undefined) r.pos = e + 1;
            else {
              labels.pop();
              r.pos = f.endOf.get(at)! + 1;
            }
          }
          break;
        }
        case 0x05: {
          // End of the then-arm: skip the else-arm.
          const label = labels.pop()!;
          r.pos = label[1]!;
          break;
        }
        case 0x0b:
          if (labels.length > 0) labels.pop();
          else {
            this.depth--;
            return stack.slice(stack.length - f.numResults);
          }
          break;
        case 0x0c:
          branch(r.u32());
          break;
        case 0x0d: {
          const depth = r.u32();
          if (pop() !== 0) branch(depth);
          break;
        }
        case 0x0e: {
          const n = r.u32();
          const targets: number[] = [];
          for (let i = 0; i <= n; i++) targets.push(r.u32());
          const i = pop() >>> 0;
          branch(targets[Math.min(i, n)]!);
          break;
        }
        case 0x0f:
          this.depth--;
          return stack.slice(stack.length - f.numResults);
        case 0x10: {
          const calleeIndex = r.u32();
          const callee = this.funcs[calleeIndex]!;
          const args = stack.splice(stack.length - callee.numParams, callee.numParams);
          stack.push(...this.call(calleeIndex, args));
          break;
        }
        case 0x1a:
          pop();
          break;
        case 0x1b: {
          const c = pop();
          const b = pop();
          const a = pop();
          stack.push(c !== 0 ? a : b);
          break;
        }
        case 0x20:
          stack.push(locals[r.u32()]!);
          break;
        case 0x21:
          locals[r.u32()] = pop();
          break;
        case 0x22:
          locals[r.u32()] = stack[stack.length - 1]!;
          break;
        case 0x23:
          stack.push(this.globals[r.u32()]!);
          break;
        case 0x24:
          this.globals[r.u32()] = pop();
          break;
        case 0x28:
        case 0x36: {
          r.u32();
          const offset = r.u32();
          const value = op === 0x36 ? pop() : 0;
          const address = (pop() >>> 0) + offset;
          if (address + 4 > this.memory.length) throw new InterpTrap('heap_oob');
          const view = new DataView(this.memory.buffer);
          if (op === 0x28) stack.push(view.getInt32(address, true));
          else view.setInt32(address, value, true);
          break;
        }
        case 0x41:
          stack.push(r.s32());
          break;
        case 0x45:
          stack.push(pop() === 0 ? 1 : 0);
          break;
        default: {
          const b = pop();
          const a = pop();
          stack.push(binary(op, a, b));
        }
      }
    }
    throw new Error('fuel interpreter: fell off the end of a function');
  }
}

function skipOperatorPeek(r: Reader): number {
  return r.u8();
}

function readBlockArity(r: Reader): number {
  const t = r.u8();
  if (t === 0x40) return 0;
  if (t === 0x7f) return 1;
  throw new Error('fuel interpreter: only empty and i32 block types are supported');
}

function binary(op: number, a: number, b: number): number {
  switch (op) {
    case 0x46:
      return a === b ? 1 : 0;
    case 0x47:
      return a !== b ? 1 : 0;
    case 0x48:
      return a < b ? 1 : 0;
    case 0x49:
      return a >>> 0 < b >>> 0 ? 1 : 0;
    case 0x4a:
      return a > b ? 1 : 0;
    case 0x4b:
      return a >>> 0 > b >>> 0 ? 1 : 0;
    case 0x4c:
      return a <= b ? 1 : 0;
    case 0x4d:
      return a >>> 0 <= b >>> 0 ? 1 : 0;
    case 0x4e:
      return a >= b ? 1 : 0;
    case 0x4f:
      return a >>> 0 >= b >>> 0 ? 1 : 0;
    case 0x6a:
      return (a + b) | 0;
    case 0x6b:
      return (a - b) | 0;
    case 0x6c:
      return Math.imul(a, b);
    case 0x6d:
      if (b === 0) throw new InterpTrap('int_divz');
      if (a === -0x8000_0000 && b === -1) throw new InterpTrap('int_ovf');
      return (a / b) | 0;
    case 0x6e:
      if (b === 0) throw new InterpTrap('int_divz');
      return ((a >>> 0) / (b >>> 0)) | 0;
    case 0x6f:
      if (b === 0) throw new InterpTrap('int_divz');
      return b === -1 ? 0 : a % b | 0;
    case 0x70:
      if (b === 0) throw new InterpTrap('int_divz');
      return (a >>> 0) % (b >>> 0) | 0;
    case 0x71:
      return a & b;
    case 0x72:
      return a | b;
    case 0x73:
      return a ^ b;
    case 0x74:
      return a << b;
    case 0x75:
      return a >> b;
    case 0x76:
      return a >>> b | 0;
    default:
      throw new Error(`fuel interpreter: operator 0x${op.toString(16)} is outside the supported subset`);
  }
}
