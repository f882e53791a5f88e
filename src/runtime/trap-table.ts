/**
 * The per-module side tables the compile pipeline hands to the runtime with its machine code:
 *
 * - TrapTable: one row per trap site, keyed by the *return offset* of its `call raise` (the code offset just after
 *   the call instruction: what raise finds on the stack), giving the trap code, the function index and the wasm byte
 *   offset of the trapping instruction. Sorted by offset; looked up by binary search when a trap happens (never on a
 *   fast path).
 * - FunctionMap: [start, end) code offsets of each compiled function with its function index, for backtraces.
 *
 * Both are compact typed arrays, built once per module.
 */

export class TrapTable {
  constructor(
    /** Return offsets of the trap sites, strictly ascending. */
    readonly returnOffsets: Uint32Array,
    /** TrapCode of each site. */
    readonly codes: Uint8Array,
    /** Function index (module function index space) of each site. */
    readonly funcIndices: Int32Array,
    /** Byte offset in the module of the trapping wasm instruction, or -1. */
    readonly wasmOffsets: Int32Array,
    /**
     * Fuel still pending at each site, which the runtime adds to the store's counter when the site traps; null when
     * none is (kindling's translator flushes pending fuel in each trap's cold path, so its sites carry 0).
     */
    readonly fuel: Int32Array | null = null,
  ) {}

  get size(): number {
    return this.returnOffsets.length;
  }

  /** Row of the site whose return offset is exactly `returnOffset`, or -1. */
  find(returnOffset: number): number {
    const offsets = this.returnOffsets;
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = offsets[mid]!;
      if (at === returnOffset) return mid;
      if (at < returnOffset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

export class TrapTableBuilder {
  private readonly rows: number[] = [];

  /** Records a trap site. Offsets are final code offsets (after branch relaxation: use FinishedCode.labelOffset). */
  add(returnOffset: number, code: number, funcIndex: number, wasmOffset = -1): this {
    if (!Number.isInteger(returnOffset) || returnOffset <= 0) throw new RangeError(`TrapTableBuilder.add: bad return offset ${returnOffset}`);
    if (!Number.isInteger(code) || code <= 0 || code > 255) throw new RangeError(`TrapTableBuilder.add: bad trap code ${code}`);
    this.rows.push(returnOffset, code, funcIndex, wasmOffset);
    return this;
  }

  finish(): TrapTable {
    const n = this.rows.length / 4;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.rows[a * 4]! - this.rows[b * 4]!);
    const offsets = new Uint32Array(n);
    const codes = new Uint8Array(n);
    const funcs = new Int32Array(n);
    const wasm = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = order[i]! * 4;
      offsets[i] = this.rows[r]!;
      codes[i] = this.rows[r + 1]!;
      funcs[i] = this.rows[r + 2]!;
      wasm[i] = this.rows[r + 3]!;
      if (i > 0 && offsets[i] === offsets[i - 1]) {
        throw new RangeError(`TrapTableBuilder.finish: two trap sites share return offset ${offsets[i]}`);
      }
    }
    return new TrapTable(offsets, codes, funcs, wasm);
  }
}

/**
 * The call sites of a module's code: return offset of each call → wasm byte offset of the call instruction, so
 * backtraces can name the position in every frame, not only the trapping one.
 */
export class CallSiteTable {
  constructor(
    /** Return offsets of the calls, ascending. */
    readonly returnOffsets: Uint32Array,
    readonly wasmOffsets: Int32Array,
  ) {}

  /** Wasm offset of the call whose return offset is `returnOffset`, or -1. */
  wasmOffsetAt(returnOffset: number): number {
    const offsets = this.returnOffsets;
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = offsets[mid]!;
      if (at === returnOffset) return this.wasmOffsets[mid]!;
      if (at < returnOffset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** Code ranges of compiled functions, sorted by start, for pc → function index. */
export class FunctionMap {
  constructor(
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
    readonly funcIndices: Int32Array,
  ) {
    for (let i = 0; i < starts.length; i++) {
      if (!(starts[i]! < ends[i]!) || (i > 0 && starts[i]! < ends[i - 1]!)) {
        throw new RangeError(`FunctionMap: ranges must be non-empty, sorted and disjoint (entry ${i})`);
      }
    }
  }

  /** Builds from [start, end, funcIndex] triples in any order. */
  static of(ranges: ReadonlyArray<readonly [number, number, number]>): FunctionMap {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    return new FunctionMap(
      Uint32Array.from(sorted, (r) => r[0]),
      Uint32Array.from(sorted, (r) => r[1]),
      Int32Array.from(sorted, (r) => r[2]),
    );
  }

  /** Function index whose code contains `offset`, or -1. */
  find(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (offset < this.starts[mid]!) hi = mid - 1;
      else if (offset >= this.ends[mid]!) lo = mid + 1;
      else return this.funcIndices[mid]!;
    }
    return -1;
  }

  /** Code offset of a function's first byte, or -1 when it has no code here. */
  startOf(funcIndex: number): number {
    for (let i = 0; i < this.funcIndices.length; i++) if (this.funcIndices[i] === funcIndex) return this.starts[i]!;
    return -1;
  }
}
