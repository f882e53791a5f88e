import {
  allocIndex,
  allocIsReg,
  allocIsStack,
  EDIT_REMAT,
  OperandConstraint,
  OperandKind,
  OperandPos,
  PREG_XMM_BASE,
  RegClass,
  type RegAllocFunction,
  type RegAllocOutput,
  INST_IS_BRANCH,
  INST_IS_RET,
} from './regalloc-types.js';

/** An instruction of a hand-written test function. */
export interface MockInst {
  readonly operands: number[];
  readonly clobbers: number;
  readonly flags: number;
}

interface MockBlock {
  readonly params: number[];
  readonly insts: MockInst[];
  readonly succs: number[];
  readonly args: number[][];
}

/**
 * Builds `RegAllocFunction`s by hand for tests (and fuzzers): vregs, blocks in layout order, instructions with packed
 * operands, terminators with branch args, remat constants. `build()` fills in predecessors and the flat arrays.
 */
export class MockFunctionBuilder {
  private readonly classes: number[] = [];
  private readonly blocks: MockBlock[] = [];
  private readonly remat = new Map<number, MockInst>();
  private current = -1;

  vreg(cls: RegClass = RegClass.Int): number {
    this.classes.push(cls);
    return this.classes.length - 1;
  }

  vregs(n: number, cls: RegClass = RegClass.Int): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(this.vreg(cls));
    return out;
  }

  /** A new block, placed after the existing ones in the layout; switches to it. */
  block(params: number[] = []): number {
    this.blocks.push({ params, insts: [], succs: [], args: [] });
    this.current = this.blocks.length - 1;
    return this.current;
  }

  /** Continue appending to an existing block. */
  at(block: number): this {
    this.current = block;
    return this;
  }

  get currentBlock(): number {
    return this.current;
  }

  inst(operands: number[], clobbers = 0, flags = 0): MockInst {
    const inst: MockInst = { operands, clobbers, flags };
    this.blocks[this.current].insts.push(inst);
    return inst;
  }

  /** `v = constant`: an instruction with one Reg def that the allocator may rematerialise. */
  constant(v: number, def: number = makeDef(v, OperandConstraint.Reg)): MockInst {
    const inst = this.inst([def]);
    this.remat.set(v, inst);
    return inst;
  }

  jump(target: number, args: number[] = []): void {
    this.terminate([], [[target, args]]);
  }

  /** A terminator with operands (e.g. the condition) and any number of successors. */
  branch(operands: number[], targets: [number, number[]][]): void {
    this.terminate(operands, targets);
  }

  ret(operands: number[] = []): void {
    this.inst(operands, 0, INST_IS_RET);
  }

  private terminate(operands: number[], targets: [number, number[]][]): void {
    this.inst(operands, 0, INST_IS_BRANCH);
    const b = this.blocks[this.current];
    for (const [t, args] of targets) {
      b.succs.push(t);
      b.args.push(args);
    }
  }

  build(): RegAllocFunction {
    const blocks = this.blocks;
    const nb = blocks.length;
    const blockInstStart = new Int32Array(nb);
    const blockInstEnd = new Int32Array(nb);
    const instIndex = new Map<MockInst, number>();
    const operandStart: number[] = [0];
    const operands: number[] = [];
    const clobbers: number[] = [];
    const flags: number[] = [];
    for (let b = 0; b < nb; b++) {
      blockInstStart[b] = clobbers.length;
      for (const inst of blocks[b].insts) {
        instIndex.set(inst, clobbers.length);
        operands.push(...inst.operands);
        operandStart.push(operands.length);
        clobbers.push(inst.clobbers);
        flags.push(inst.flags);
      }
      blockInstEnd[b] = clobbers.length;
    }
    const succStart = new Int32Array(nb + 1);
    const succs: number[] = [];
    const branchArgStart: number[] = [0];
    const branchArgs: number[] = [];
    const predLists: number[][] = blocks.map(() => []);
    for (let b = 0; b < nb; b++) {
      succStart[b] = succs.length;
      blocks[b].succs.forEach((s, k) => {
        succs.push(s);
        predLists[s].push(b);
        branchArgs.push(...blocks[b].args[k]);
        branchArgStart.push(branchArgs.length);
      });
    }
    succStart[nb] = succs.length;
    const predStart = new Int32Array(nb + 1);
    const preds: number[] = [];
    for (let b = 0; b < nb; b++) {
      predStart[b] = preds.length;
      preds.push(...predLists[b]);
    }
    predStart[nb] = preds.length;
    const blockParamStart = new Int32Array(nb + 1);
    const blockParams: number[] = [];
    for (let b = 0; b < nb; b++) {
      blockParamStart[b] = blockParams.length;
      blockParams.push(...blocks[b].params);
    }
    blockParamStart[nb] = blockParams.length;
    const rematInst = new Int32Array(this.classes.length).fill(-1);
    for (const [v, inst] of this.remat) rematInst[v] = instIndex.get(inst) ?? -1;
    return {
      numInsts: clobbers.length,
      numBlocks: nb,
      numVRegs: this.classes.length,
      vregClass: Uint8Array.from(this.classes),
      blockInstStart,
      blockInstEnd,
      succStart,
      succs: Int32Array.from(succs),
      predStart,
      preds: Int32Array.from(preds),
      blockParamStart,
      blockParams: Int32Array.from(blockParams),
      branchArgStart: Int32Array.from(branchArgStart),
      branchArgs: Int32Array.from(branchArgs),
      operandStart: Int32Array.from(operandStart),
      operands: Int32Array.from(operands),
      clobbers: Int32Array.from(clobbers),
      instFlags: Uint8Array.from(flags),
      rematInst,
    };
  }
}

function makeDef(v: number, con: OperandConstraint): number {
  return (v & 0xfffff) | (OperandKind.Def << 20) | (OperandPos.Late << 22) | (con << 23);
}

const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

export function pregName(preg: number): string {
  return preg < PREG_XMM_BASE ? GPR_NAMES[preg] : `xmm${preg - PREG_XMM_BASE}`;
}

export function formatAlloc(alloc: number): string {
  if (allocIsReg(alloc)) return pregName(allocIndex(alloc));
  if (allocIsStack(alloc)) return `slot${allocIndex(alloc)}`;
  return 'none';
}

const CONSTRAINT_NAMES = ['any', 'reg', 'fixed', 'reuse', 'stack'];

/** A readable listing of a function with its allocation: edits, operands with their locations, edges. */
export function formatAllocation(fn: RegAllocFunction, out: RegAllocOutput): string {
  const lines: string[] = [];
  let k = 0;
  const editsAt = (point: number): void => {
    while (k < out.numEdits && out.editPoint[k] < point) k++;
    while (k < out.numEdits && out.editPoint[k] === point) {
      const to = formatAlloc(out.editTo[k]);
      const from = out.editKind[k] === EDIT_REMAT ? `remat(inst ${out.editFrom[k]})` : formatAlloc(out.editFrom[k]);
      lines.push(`      ${to} <- ${from}`);
      k++;
    }
  };
  for (let b = 0; b < fn.numBlocks; b++) {
    const params = Array.from(fn.blockParams.subarray(fn.blockParamStart[b], fn.blockParamStart[b + 1]));
    lines.push(`block${b}(${params.map((v) => 'v' + v).join(', ')}):`);
    for (let i = fn.blockInstStart[b]; i < fn.blockInstEnd[b]; i++) {
      editsAt(2 * i);
      const ops: string[] = [];
      for (let j = fn.operandStart[i]; j < fn.operandStart[i + 1]; j++) {
        const op = fn.operands[j];
        const kind = (op >>> 20) & 3 ? 'def' : 'use';
        const late = (op >>> 22) & 1 ? 'late ' : '';
        const con = CONSTRAINT_NAMES[(op >>> 23) & 7];
        const payload = (op >>> 26) & 31;
        const conText = con === 'fixed' ? pregName(payload) : con === 'reuse' ? `reuse${payload}` : con;
        ops.push(`${late}${kind} v${op & 0xfffff}:${conText}=${formatAlloc(out.allocs[j])}`);
      }
      const clob = fn.clobbers[i] !== 0 ? ` clobbers 0x${(fn.clobbers[i] >>> 0).toString(16)}` : '';
      lines.push(`  ${String(i).padStart(4)}: ${ops.join(', ')}${clob}`);
      editsAt(2 * i + 1);
    }
    for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
      const args = Array.from(fn.branchArgs.subarray(fn.branchArgStart[e], fn.branchArgStart[e + 1]));
      lines.push(`    -> block${fn.succs[e]}(${args.map((v) => 'v' + v).join(', ')})`);
    }
  }
  lines.push(`spill slots: ${out.numSpillSlots}, callee-saved used: 0x${out.usedCalleeSaved.toString(16)}`);
  return lines.join('\n');
}
