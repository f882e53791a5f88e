// Bad input: every impossible operand combination throws an X64EncodeError naming the instruction and operands,
// and emits nothing.

import { describe, expect, it } from 'vitest';
import { Assembler } from '../../src/x64/assembler.js';
import { Amode, mem, memIndex, ripRel } from '../../src/x64/amode.js';
import { Cond } from '../../src/x64/condition-codes.js';
import { X64EncodeError } from '../../src/x64/errors.js';
import { AluOp, ShiftOp, SseOp, UnaryOp } from '../../src/x64/opcodes.js';
import { imm } from '../../src/x64/operands.js';
import { NO_REG, RAX, RBX, RCX, RSP, regName, XMM0, XMM1 } from '../../src/x64/registers.js';

/** Runs `fn` on a fresh assembler with one instruction already emitted; checks the error and that nothing was emitted. */
function rejects(fn: (a: Assembler) => void, ...fragments: (string | RegExp)[]): void {
  const a = new Assembler();
  a.ret();
  const before = a.offset;
  let caught: unknown;
  try {
    fn(a);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(X64EncodeError);
  const message = (caught as Error).message;
  for (const f of fragments) expect(message).toMatch(f);
  expect(a.offset).toBe(before);
}

describe('operand combinations', () => {
  it('memory-to-memory', () => {
    rejects((a) => a.mov(8, mem(RAX), mem(RBX)), '`mov qword ptr [rax], qword ptr [rbx]`', 'memory-to-memory');
    rejects((a) => a.alu(AluOp.Add, 4, mem(RAX, 8), mem(RCX)), '`add dword ptr [rax + 0x8], dword ptr [rcx]`', 'memory-to-memory');
    rejects((a) => a.test(2, mem(RAX), mem(RCX)), 'memory-to-memory');
  });

  it('an immediate destination', () => {
    rejects((a) => a.mov(8, imm(1) as never, RAX), '`mov 1, rax`', 'destination cannot be an immediate');
  });

  it('imm64 where only a sign-extended imm32 fits', () => {
    rejects((a) => a.aluRI(AluOp.Add, 8, RAX, 2 ** 32), '`add rax, 4294967296`', 'sign-extended 32-bit');
    rejects((a) => a.aluRI(AluOp.Cmp, 8, RCX, 0x80000000), '`cmp rcx, 2147483648`', 'sign-extended 32-bit');
    rejects((a) => a.aluMI(AluOp.Sub, 8, mem(RSP, 16), 0x80000000), '`sub qword ptr [rsp + 0x10], 2147483648`');
    rejects((a) => a.movMI(8, mem(RAX), -0x80000001), '`mov qword ptr [rax], -2147483649`');
    rejects((a) => a.testRI(8, RAX, 2 ** 40), 'test rax');
    rejects((a) => a.imulRRI(8, RAX, RCX, 2 ** 31), 'imul rax, rcx');
    rejects((a) => a.alu(AluOp.Add, 8, RAX, imm(2 ** 33)), 'add rax, 8589934592');
  });

  it('immediates too wide for narrow operands, and non-integers', () => {
    rejects((a) => a.movRI(1, RAX, 256), '`mov al, 256`', '8-bit immediate');
    rejects((a) => a.movRI(2, RAX, -0x8001), '`mov ax, -32769`', '16-bit immediate');
    rejects((a) => a.movRI(4, RAX, 2 ** 32), '`mov eax, 4294967296`', '32-bit immediate');
    rejects((a) => a.aluRI(AluOp.And, 4, RAX, 1.5), 'and eax, 1.5');
    rejects((a) => a.movRI(8, RAX, 2 ** 60), 'safe integer');
  });

  it('wrong register class', () => {
    rejects((a) => a.aluRR(AluOp.Add, 8, XMM0, RAX), '`add xmm0, rax`', 'general-purpose register', 'xmm0');
    rejects((a) => a.movRM(8, XMM1, mem(RAX)), '`mov xmm1, qword ptr [rax]`', 'general-purpose');
    rejects((a) => a.xmmRR(SseOp.Addsd, RAX, XMM1), '`addsd rax, xmm1`', 'expected an xmm register, got rax');
    rejects((a) => a.xmmRM(SseOp.Movss, RCX, mem(RAX)), 'movss', 'expected an xmm register');
    rejects((a) => a.movdToXmm(8, RAX, RCX), '`movq rax, rcx`', 'expected an xmm register');
    rejects((a) => a.movdFromXmm(4, XMM0, XMM1), 'movd', 'general-purpose register');
    rejects((a) => a.cvtsi2fpRR(8, 8, XMM0, XMM1), 'cvtsi2sd xmm0, xmm1');
    rejects((a) => a.push(XMM0), '`push xmm0`');
    rejects((a) => a.setcc(Cond.E, 99), 'sete', 'general-purpose');
  });

  it('sizes an instruction does not have', () => {
    rejects((a) => a.movRR(3 as never, RAX, RCX), 'operand size must be 1, 2, 4 or 8');
    rejects((a) => a.imulRR(1 as never, RAX, RCX), 'imul', 'no 8-bit form');
    rejects((a) => a.cmovRR(Cond.E, 1 as never, RAX, RCX), 'cmove', 'no 8-bit form');
    rejects((a) => a.bitRR(0, 1 as never, RAX, RCX), 'popcnt', 'no 8-bit form');
    rejects((a) => a.movzxRR(4 as never, 8, RAX, RCX), '`movzx rax, ecx`', 'a 32-bit mov');
    rejects((a) => a.movzxRR(2, 2 as never, RAX, RCX), 'movzx', 'cannot extend from 2 to 2 bytes');
    rejects((a) => a.movsxRR(4, 4 as never, RAX, RCX), 'movsx', 'cannot extend from 4 to 4 bytes');
    rejects((a) => a.lea(1 as never, RAX, mem(RCX)), 'lea');
    rejects((a) => a.movdToXmm(2 as never, XMM0, RAX), 'movd');
  });

  it('out-of-range shift counts, bad ops, conditions and modes', () => {
    rejects((a) => a.shiftRI(ShiftOp.Shl, 4, RAX, 32), '`shl eax, 32`', 'shift count 32 must be an integer 0..31');
    rejects((a) => a.shiftRI(ShiftOp.Sar, 1, RAX, 8), 'sar al, 8', '0..7');
    rejects((a) => a.shiftMI(ShiftOp.Shr, 8, mem(RAX), -1), 'shr qword ptr [rax], -1');
    rejects((a) => a.shiftRI(6 as never, 4, RAX, 1), 'bad shift op 6');
    rejects((a) => a.unaryR(1 as never, 4, RAX), 'bad unary op 1');
    rejects((a) => a.aluRR(8 as never, 4, RAX, RCX), 'bad alu op 8');
    rejects((a) => a.setcc(16 as never, RAX), 'bad condition 16');
    rejects((a) => a.jcc(16 as never, a.newLabel()), 'bad condition 16');
    rejects((a) => a.roundRR(8, XMM0, XMM1, 16), 'roundsd xmm0, xmm1, 16');
    rejects((a) => a.xmmRR(99 as never, XMM0, XMM1), 'bad SSE op 99');
    rejects((a) => a.xmmMR(SseOp.Addsd, mem(RAX), XMM0), 'addsd qword ptr [rax], xmm0', 'no store form');
    rejects((a) => a.unaryM(UnaryOp.Neg, 4, RAX as never), 'neg', 'memory operand');
  });
});

describe('addressing modes', () => {
  it('rsp as index', () => {
    expect(() => memIndex(RAX, RSP, 2)).toThrow(X64EncodeError);
    expect(() => memIndex(RAX, RSP, 2)).toThrow(/\[rax \+ rsp\*2\].*rsp cannot be an index register/);
    expect(() => memIndex(NO_REG, RSP, 1, 8)).toThrow(/rsp cannot be an index register/);
  });

  it('bad scale, displacement beyond 32 bits, RIP with registers, non-GPR base', () => {
    expect(() => memIndex(RAX, RCX, 3 as never)).toThrow(/scale must be 1, 2, 4 or 8 \(got 3\)/);
    expect(() => mem(RAX, 2 ** 31)).toThrow(/displacement 2147483648 does not fit in a signed 32-bit field/);
    expect(() => mem(RAX, -(2 ** 31) - 1)).toThrow(/does not fit/);
    expect(() => mem(RAX, 0.5)).toThrow(/does not fit/);
    expect(() => new Amode(RAX, NO_REG, 0, 0, 3)).toThrow(/RIP-relative operand cannot have a base or index/);
    expect(() => mem(XMM0)).toThrow(/base and index must be general-purpose registers/);
  });
});

describe('labels and finishing', () => {
  it('a label bound twice', () => {
    const a = new Assembler();
    const l = a.newLabel();
    a.bind(l);
    a.ret();
    expect(() => a.bind(l)).toThrow(/bind L0.*already bound at offset 0x0 \(now at 0x1\)/);
  });

  it('an unbound label at finish (branch, RIP operand, jump table)', () => {
    const a1 = new Assembler();
    a1.nop(3);
    a1.jcc(Cond.NE, a1.newLabel());
    expect(() => a1.finish()).toThrow(/`jne L0`.*label L0 \(used at offset 0x3\) was never bound/);

    const a2 = new Assembler();
    a2.movRM(8, RAX, ripRel(a2.newLabel()));
    expect(() => a2.finish()).toThrow(/L0.*was never bound/);

    const a3 = new Assembler();
    const base = a3.newLabel();
    a3.bind(base);
    a3.jumpTableEntry(a3.newLabel(), base);
    expect(() => a3.finish()).toThrow(/jump table entry L1.*never bound/);
  });

  it('unknown labels, constant labels as branch targets, finishing twice, bad alignment', () => {
    const a = new Assembler();
    expect(() => a.jmp(5)).toThrow(/unknown label/);
    expect(() => a.bind(7)).toThrow(/unknown label/);
    expect(() => a.movRM(8, RAX, ripRel(9))).toThrow(/unknown label/);
    const c = a.constF64Value(1);
    expect(() => a.jmp(c)).toThrow(/cannot branch to a constant-pool entry/);
    expect(() => a.bind(c)).toThrow(/constant-pool entry/);
    expect(() => a.align(3)).toThrow(/power of two/);
    expect(a.offset).toBe(0);
    a.ret();
    a.finish();
    expect(() => a.finish()).toThrow(/already finished/);
  });

  it('8-bit views of encodings 4-7 are spl/bpl/sil/dil (ah..bh are not representable)', () => {
    expect([4, 5, 6, 7].map((r) => regName(r, 1))).toEqual(['spl', 'bpl', 'sil', 'dil']);
    const a = new Assembler();
    a.movRR(1, 6, 0); // mov sil, al: must carry a REX prefix, or it would mean "mov dh, al"
    expect(Array.from(a.finish().bytes)).toEqual([0x40, 0x88, 0xc6]);
  });
});
