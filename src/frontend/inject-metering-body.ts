/**
 * The per-function half of inject-metering.ts: finds a body's metered runs and writes the body back with a charge
 * (and, by policy, a check) at the start of each run. The semantics are documented in inject-metering.ts; this file
 * holds the mechanics.
 *
 * Two passes over one body, both allocation-free once the arrays have grown:
 *   1. decode with OperatorReader, keep a control stack, and record for each run that costs something (or needs a
 *      check) its start offset, its cost and whether it checks. A run's cost is only known at its end, and whether a
 *      block's `end` ends the run is only known there too (it does when a branch targeted the block), so the charge
 *      positions are recorded first and written in the second pass.
 *   2. copy the body's bytes, inserting the recorded charge sequences. The new body size is computed from the
 *      records, so the body is written once, straight into the code section.
 */
import type { ModuleInfo } from './module-info.js';
import { Op, OP_COUNT } from './opcodes.js';
import { OperatorReader } from './operator-reader.js';
import { s32Size, u32Size, type ByteWriter } from './wasm-writer.js';

/** Where runs check the gas (inject-metering.ts explains both). */
export const enum CheckPolicy {
  /** Every charged run checks right after charging: a run never starts without the gas to finish it. */
  EVERY_RUN = 0,
  /** Only function entries and loop headers check (like kindling's and wasmtime's fuel checks); other runs only charge. */
  ENTRY_AND_LOOPS = 1,
}

/**
 * The fuel cost of each operator, by dense id: 0 for nop, drop, block, loop, unreachable, return, else and end, 1 for
 * every other operator (wasmtime's and kindling's model, ARCHITECTURE.md "Fuel").
 */
export const OPERATOR_COST: Uint8Array = (() => {
  const cost = new Uint8Array(OP_COUNT).fill(1);
  for (const op of [Op.NOP, Op.DROP, Op.BLOCK, Op.LOOP, Op.UNREACHABLE, Op.RETURN, Op.ELSE, Op.END]) cost[op] = 0;
  return cost;
})();

/** Control frame kinds. */
const enum Frame {
  FUNCTION = 0,
  BLOCK = 1,
  LOOP = 2,
  IF = 3,
}

/** Control frame flags. */
const enum FrameFlag {
  /** Some branch names this frame's label (for a block or if: control can arrive at its `end` by a jump). */
  TARGETED = 1,
  /** The frame was opened in unreachable code: nothing inside or after it (up to the parent's end) runs. */
  DEAD_ENTRY = 2,
}

const OP_GLOBAL_GET = 0x23;
const OP_GLOBAL_SET = 0x24;
const OP_I64_CONST = 0x42;
const OP_I64_SUB = 0x7d;
const OP_I64_LT_S = 0x53;
const OP_IF = 0x04;
const BLOCK_TYPE_EMPTY = 0x40;
const OP_UNREACHABLE = 0x00;
const OP_END = 0x0b;

export class MeteringBodyRewriter {
  /** Charge sites written so far (over all bodies this rewriter wrote). */
  chargeSites = 0;
  /** Checks written so far. */
  checkSites = 0;

  private readonly reader = new OperatorReader(new Uint8Array(0));
  private readonly gasGlobal: number;
  private readonly gasGlobalSize: number;
  private readonly splitAtCalls: boolean;
  private readonly policy: CheckPolicy;

  // Control stack.
  private frameKind = new Uint8Array(64);
  private frameFlags = new Uint8Array(64);
  private depth = 0;

  // Charge sites of the current body: offset in the module bytes, cost, 1 if it checks.
  private siteAt = new Int32Array(256);
  private siteCost = new Int32Array(256);
  private siteChecks = new Uint8Array(256);
  private sites = 0;

  // The current run.
  private live = true;
  private runStart = 0;
  private runCost = 0;
  private runIsHeader = false;

  constructor(gasGlobal: number, splitAtCalls: boolean, policy: CheckPolicy) {
    this.gasGlobal = gasGlobal;
    this.gasGlobalSize = u32Size(gasGlobal);
    this.splitAtCalls = splitAtCalls;
    this.policy = policy;
  }

  /** Writes the `definedIndex`-th defined function's body, metered, with its size prefix, to `out`. */
  rewrite(module: ModuleInfo, definedIndex: number, out: ByteWriter): void {
    const decl = module.definedFunction(definedIndex);
    const codeStart = this.findRuns(module, definedIndex);
    let size = decl.bodyEnd - decl.bodyStart;
    for (let i = 0; i < this.sites; i++) size += this.sequenceSize(this.siteCost[i], this.siteChecks[i]);
    out.u32(size);
    const expectedEnd = out.length + size;
    const bytes = module.bytes;
    let copied = decl.bodyStart;
    out.raw(bytes, copied, codeStart);
    copied = codeStart;
    for (let i = 0; i < this.sites; i++) {
      const at = this.siteAt[i];
      out.raw(bytes, copied, at);
      copied = at;
      this.writeSequence(out, this.siteCost[i], this.siteChecks[i]);
    }
    out.raw(bytes, copied, decl.bodyEnd);
    if (out.length !== expectedEnd) {
      throw new Error(`inject-metering: internal error: body of function ${module.numImportedFunctions + definedIndex} written with ${out.length - expectedEnd} bytes more than computed`);
    }
    this.chargeSites += this.sites;
    for (let i = 0; i < this.sites; i++) this.checkSites += this.siteChecks[i];
  }

  /** Pass 1: records the charge sites of one body; returns the offset of its first operator (after the locals). */
  private findRuns(module: ModuleInfo, definedIndex: number): number {
    const r = this.reader;
    const decl = module.definedFunction(definedIndex);
    r.reset(module.bytes, decl.bodyStart, decl.bodyEnd, module.numImportedFunctions + definedIndex);
    r.readLocals(module.types[decl.typeIndex].params);
    const codeStart = r.pos;
    this.sites = 0;
    this.depth = 0;
    this.push(Frame.FUNCTION, 0);
    this.live = true;
    this.startRun(codeStart, true);
    const cost = OPERATOR_COST;
    while (r.pos < r.end) {
      const op = r.next();
      if (this.live) this.runCost += cost[op];
      // All control operators have the smallest ids (0x00–0x11): one comparison skips the rest.
      if (op > Op.CALL_INDIRECT) continue;
      switch (op) {
        case Op.BLOCK:
          this.push(Frame.BLOCK, this.live ? 0 : FrameFlag.DEAD_ENTRY);
          break;
        case Op.LOOP:
          this.push(Frame.LOOP, this.live ? 0 : FrameFlag.DEAD_ENTRY);
          // The loop header is a branch target: each iteration starts a run.
          if (this.live) this.splitRun(r.pos, true);
          break;
        case Op.IF:
          this.push(Frame.IF, this.live ? 0 : FrameFlag.DEAD_ENTRY);
          if (this.live) this.splitRun(r.pos, false);
          break;
        case Op.ELSE: {
          const top = this.depth - 1;
          if (top < 1 || this.frameKind[top] !== Frame.IF) r.fail('else without a matching if', r.opOffset);
          if (this.live) this.endRun();
          // The else arm is entered from the `if` when its condition is false: live iff the `if` was.
          this.live = (this.frameFlags[top] & FrameFlag.DEAD_ENTRY) === 0;
          if (this.live) this.startRun(r.pos, false);
          break;
        }
        case Op.END: {
          const top = --this.depth;
          const kind = this.frameKind[top];
          const flags = this.frameFlags[top];
          if (kind === Frame.FUNCTION) {
            if (r.pos !== r.end) r.fail('operators after the end of the function', r.pos);
            if (this.live) this.endRun();
            this.live = false;
            break;
          }
          // Control arrives after an `if`'s end from either arm, after a targeted block's end by a jump; only then
          // is a new run needed. After a loop's end or an untargeted block's end, only by falling through.
          const joins = kind === Frame.IF || (kind === Frame.BLOCK && (flags & FrameFlag.TARGETED) !== 0);
          if (this.live) {
            if (joins) this.splitRun(r.pos, false);
          } else if (joins && (flags & FrameFlag.DEAD_ENTRY) === 0) {
            this.live = true;
            this.startRun(r.pos, false);
          }
          break;
        }
        case Op.BR:
          this.markTarget(r.index);
          if (this.live) this.endDeadEnding();
          break;
        case Op.BR_IF:
          this.markTarget(r.index);
          if (this.live) this.splitRun(r.pos, false);
          break;
        case Op.BR_TABLE: {
          const targets = r.brTableTargets;
          for (let i = 0, n = r.brTableCount; i < n; i++) this.markTarget(targets[i]);
          this.markTarget(r.index);
          if (this.live) this.endDeadEnding();
          break;
        }
        case Op.RETURN:
        case Op.UNREACHABLE:
          if (this.live) this.endDeadEnding();
          break;
        case Op.CALL:
        case Op.CALL_INDIRECT:
          if (this.splitAtCalls && this.live) this.splitRun(r.pos, false);
          break;
      }
    }
    if (this.depth !== 0) r.fail('function body must end with end', r.end);
    return codeStart;
  }

  private push(kind: Frame, flags: number): void {
    const d = this.depth;
    if (d === this.frameKind.length) {
      const kinds = new Uint8Array(d * 2);
      kinds.set(this.frameKind);
      this.frameKind = kinds;
      const f = new Uint8Array(d * 2);
      f.set(this.frameFlags);
      this.frameFlags = f;
    }
    this.frameKind[d] = kind;
    this.frameFlags[d] = flags;
    this.depth = d + 1;
  }

  private markTarget(label: number): void {
    if (label >= this.depth) this.reader.fail(`unknown label ${label}`, this.reader.opOffset);
    this.frameFlags[this.depth - 1 - label] |= FrameFlag.TARGETED;
  }

  private startRun(at: number, isHeader: boolean): void {
    this.runStart = at;
    this.runCost = 0;
    this.runIsHeader = isHeader;
  }

  /** Ends the current run (its last operator was just read) and records its charge site, if it needs one. */
  private endRun(): void {
    const cost = this.runCost;
    const checks = this.policy === CheckPolicy.EVERY_RUN ? cost > 0 : this.runIsHeader;
    if (cost === 0 && !checks) return;
    const i = this.sites;
    if (i === this.siteAt.length) this.growSites();
    this.siteAt[i] = this.runStart;
    this.siteCost[i] = cost;
    this.siteChecks[i] = checks ? 1 : 0;
    this.sites = i + 1;
  }

  /** Ends the current run and starts the next one at `at` (right after the operator just read). */
  private splitRun(at: number, isHeader: boolean): void {
    this.endRun();
    this.startRun(at, isHeader);
  }

  /** Ends the current run at an operator after which nothing runs (br, br_table, return, unreachable). */
  private endDeadEnding(): void {
    this.endRun();
    this.live = false;
  }

  private growSites(): void {
    const n = this.siteAt.length * 2;
    const at = new Int32Array(n);
    at.set(this.siteAt);
    this.siteAt = at;
    const cost = new Int32Array(n);
    cost.set(this.siteCost);
    this.siteCost = cost;
    const checks = new Uint8Array(n);
    checks.set(this.siteChecks);
    this.siteChecks = checks;
  }

  /** Byte size of one charge sequence (writeSequence). */
  private sequenceSize(cost: number, checks: number): number {
    let size = 0;
    if (cost > 0) size += 4 + 2 * this.gasGlobalSize + s32Size(cost);
    if (checks) size += 8 + this.gasGlobalSize;
    return size;
  }

  /**
   *   global.get $gas; i64.const cost; i64.sub; global.set $gas       (when cost > 0)
   *   global.get $gas; i64.const 0; i64.lt_s; if; unreachable; end    (when the site checks)
   * Stack-neutral, so it can sit at any run start whatever the operand stack holds there.
   */
  private writeSequence(out: ByteWriter, cost: number, checks: number): void {
    const g = this.gasGlobal;
    if (cost > 0) {
      out.u8(OP_GLOBAL_GET);
      out.u32(g);
      out.u8(OP_I64_CONST);
      out.s32(cost);
      out.u8(OP_I64_SUB);
      out.u8(OP_GLOBAL_SET);
      out.u32(g);
    }
    if (checks) {
      out.u8(OP_GLOBAL_GET);
      out.u32(g);
      out.u8(OP_I64_CONST);
      out.u8(0);
      out.u8(OP_I64_LT_S);
      out.u8(OP_IF);
      out.u8(BLOCK_TYPE_EMPTY);
      out.u8(OP_UNREACHABLE);
      out.u8(OP_END);
    }
  }
}
