/**
 * Parser for the IR text form written by printer.ts. Value and block numbers are kept exactly (v7 in the text
 * is value id 7), so `printFunction(parseFunction(text)) === text` for printer output.
 *
 * Uses may come before definitions in the text (a loop body laid out before its header's definitions is
 * legal): result types that follow from operand types are inferred after the whole function is read.
 * Structural checks stop at "well-formed" (every value and block used is defined, operands fit the format);
 * run the verifier for types and dominance.
 */
import { parseFloatCC, parseIntCC } from './condcodes.js';
import { ValueKind } from './dfg.js';
import { IrFunction } from './function.js';
import { NONE, type BlockCall, type Inst, type Value } from './ids.js';
import { parseF32, parseF64, parseInt64, type ParsedInt } from './immediates.js';
import { IrParseError, Tok, tokenize, type Token } from './lexer.js';
import { parseMemFlag } from './memflags.js';
import {
  Format,
  OPCODE_FLAGS,
  OPCODE_FORMAT,
  OPCODE_TYPE_RULE,
  OpFlag,
  TypeRule,
  isTypeFromOperand,
  opcodeName,
  parseOpcode,
} from './opcodes.js';
import { ExtFuncData, FuncKind, Signature, parseCallConv } from './signature.js';
import { parseTrapCode } from './trapcodes.js';
import { F32, F64, I32, I64, NONE_TYPE, parseType, type Type } from './types.js';

export { IrParseError } from './lexer.js';

/** Parses text holding exactly one function. */
export function parseFunction(text: string): IrFunction {
  const funcs = parseFunctions(text);
  if (funcs.length !== 1) throw new IrParseError(`expected exactly one function, found ${funcs.length}`, 1, 1);
  return funcs[0]!;
}

/** Parses every function in the text. */
export function parseFunctions(text: string): IrFunction[] {
  const p = new Parser(tokenize(text));
  const out: IrFunction[] = [];
  while (!p.atEof()) out.push(p.parseFunction());
  return out;
}

const VALUE_RE = /^v(\d+)$/;
const BLOCK_RE = /^block(\d+)$/;
const ADDRESS_RE = /^v(\d+)(?:([+-])(\d+))?$/;
const MAX_ID = 1 << 24;

class Parser {
  private pos = 0;
  private func!: IrFunction;
  /** Where each value / block was first referenced (for "used but never defined"). */
  private valueRefs = new Map<number, Token>();
  private blockRefs = new Map<number, Token>();
  private readonly int: ParsedInt = { ok: false, lo: 0, hi: 0 };
  /** Instructions whose result type is inferred from an operand after parsing. */
  private pendingTypes: Inst[] = [];
  /** Integer-immediate instructions whose i32 immediates are canonicalised after type inference. */
  private immInsts: Inst[] = [];

  constructor(private readonly toks: Token[]) {}

  atEof(): boolean {
    return this.peek().kind === Tok.Eof;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Token helpers
  // ---------------------------------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)]!;
  }

  private next(): Token {
    const t = this.toks[this.pos]!;
    if (t.kind !== Tok.Eof) this.pos++;
    return t;
  }

  private fail(t: Token, message: string): never {
    throw new IrParseError(message, t.line, t.col);
  }

  private isPunct(ch: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === Tok.Punct && t.text === ch;
  }

  private expectPunct(ch: string, what: string): Token {
    const t = this.next();
    if (t.kind !== Tok.Punct || t.text !== ch) this.fail(t, `expected '${ch}' ${what}, found '${t.text}'`);
    return t;
  }

  private expectWord(what: string): Token {
    const t = this.next();
    if (t.kind !== Tok.Word) this.fail(t, `expected ${what}, found '${t.text}'`);
    return t;
  }

  private expectKeyword(word: string): Token {
    const t = this.next();
    if (t.kind !== Tok.Word || t.text !== word) this.fail(t, `expected '${word}', found '${t.text}'`);
    return t;
  }

  private parseId(t: Token, re: RegExp, what: string): number {
    const m = re.exec(t.text);
    if (!m) this.fail(t, `expected ${what}, found '${t.text}'`);
    const n = Number(m[1]);
    if (n >= MAX_ID) this.fail(t, `${what} number too large: ${t.text}`);
    return n;
  }

  private parseTypeWord(t: Token): Type {
    const ty = parseType(t.text);
    if (ty === NONE_TYPE) this.fail(t, `expected a type (i32, i64, f32, f64), found '${t.text}'`);
    return ty;
  }

  private parseIntToken(t: Token): ParsedInt {
    if (t.kind !== Tok.Word || !parseInt64(t.text, this.int)) this.fail(t, `expected an integer, found '${t.text}'`);
    return this.int;
  }

  /** A value reference `vN` (reserving the id so numbering is kept). */
  private valueRef(t: Token): Value {
    if (t.kind !== Tok.Word) this.fail(t, `expected a value, found '${t.text}'`);
    const v = this.parseId(t, VALUE_RE, 'a value');
    this.func.dfg.reserveValues(v + 1);
    if (!this.valueRefs.has(v)) this.valueRefs.set(v, t);
    return v;
  }

  private blockRef(t: Token): number {
    if (t.kind !== Tok.Word) this.fail(t, `expected a block, found '${t.text}'`);
    const b = this.parseId(t, BLOCK_RE, 'a block');
    this.func.dfg.reserveBlocks(b + 1);
    if (!this.blockRefs.has(b)) this.blockRefs.set(b, t);
    return b;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Function, signatures, preamble
  // ---------------------------------------------------------------------------------------------------------

  parseFunction(): IrFunction {
    this.expectKeyword('function');
    this.expectPunct('%', 'before the function name');
    const nameTok = this.next();
    if (nameTok.kind !== Tok.Word && nameTok.kind !== Tok.String) this.fail(nameTok, 'expected a function name');
    const sig = this.parseSignature();
    this.func = new IrFunction(nameTok.text, sig);
    this.valueRefs = new Map();
    this.blockRefs = new Map();
    this.pendingTypes = [];
    this.immInsts = [];
    this.expectPunct('{', 'to open the function body');
    this.parsePreamble();
    const defined = new Set<number>();
    while (!this.isPunct('}')) {
      const t = this.peek();
      if (t.kind === Tok.Eof) this.fail(t, "missing '}' at the end of the function");
      this.parseBlock(defined);
    }
    this.next();
    this.finishFunction(defined);
    return this.func;
  }

  private parseSignature(): Signature {
    this.expectPunct('(', 'to open the parameter list');
    const sig = new Signature();
    if (!this.isPunct(')')) {
      for (;;) {
        sig.params.push(this.parseTypeWord(this.expectWord('a parameter type')));
        const purpose = this.peek();
        if (purpose.kind === Tok.Word && purpose.text === 'vmctx') {
          this.next();
          if (sig.vmctxParam >= 0) this.fail(purpose, 'only one parameter can be vmctx');
          if (sig.params[sig.params.length - 1] !== I64) this.fail(purpose, 'the vmctx parameter must be i64');
          sig.vmctxParam = sig.params.length - 1;
        }
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    this.expectPunct(')', 'to close the parameter list');
    if (this.peek().kind === Tok.Arrow) {
      this.next();
      for (;;) {
        sig.results.push(this.parseTypeWord(this.expectWord('a result type')));
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    const cc = this.peek();
    if (cc.kind === Tok.Word && parseCallConv(cc.text) >= 0) {
      this.next();
      sig.callConv = parseCallConv(cc.text);
    }
    return sig;
  }

  private parsePreamble(): void {
    const dfg = this.func.dfg;
    for (;;) {
      const t = this.peek();
      if (t.kind !== Tok.Word || !this.isPunct('=', 1)) return;
      if (/^sig\d+$/.test(t.text)) {
        this.next();
        const n = Number(t.text.slice(3));
        if (n !== dfg.signatures.length) this.fail(t, `expected sig${dfg.signatures.length} (declare signatures in order)`);
        this.next(); // =
        dfg.importSignature(this.parseSignature());
      } else if (/^fn\d+$/.test(t.text)) {
        this.next();
        const n = Number(t.text.slice(2));
        if (n !== dfg.extFuncs.length) this.fail(t, `expected fn${dfg.extFuncs.length} (declare functions in order)`);
        this.next(); // =
        const kindTok = this.expectWord("'func' or 'builtin'");
        let kind: number;
        if (kindTok.text === 'func') kind = FuncKind.wasm;
        else if (kindTok.text === 'builtin') kind = FuncKind.builtin;
        else this.fail(kindTok, `expected 'func' or 'builtin', found '${kindTok.text}'`);
        const idxTok = this.expectWord('a function index');
        if (!/^\d+$/.test(idxTok.text)) this.fail(idxTok, `expected a function index, found '${idxTok.text}'`);
        const sigTok = this.expectWord('a signature reference');
        const m = /^sig(\d+)$/.exec(sigTok.text);
        if (!m) this.fail(sigTok, `expected a signature reference, found '${sigTok.text}'`);
        const sigRef = Number(m[1]);
        if (sigRef >= dfg.signatures.length) this.fail(sigTok, `sig${sigRef} is not declared`);
        dfg.importFunction(new ExtFuncData(kind, Number(idxTok.text), sigRef));
      } else {
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Blocks and instructions
  // ---------------------------------------------------------------------------------------------------------

  private parseBlock(defined: Set<number>): void {
    const dfg = this.func.dfg;
    const t = this.next();
    if (t.kind !== Tok.Word || !BLOCK_RE.test(t.text)) this.fail(t, `expected a block header, found '${t.text}'`);
    const b = this.blockRef(t);
    if (defined.has(b)) this.fail(t, `block${b} is defined twice`);
    defined.add(b);
    this.func.layout.appendBlock(b);
    if (this.isPunct('(')) {
      this.next();
      for (;;) {
        const vt = this.next();
        const v = this.valueRef(vt);
        this.expectPunct(':', 'after a block parameter');
        const ty = this.parseTypeWord(this.expectWord('a parameter type'));
        if (dfg.valueKind(v) !== ValueKind.Invalid) this.fail(vt, `v${v} is defined twice`);
        dfg.attachBlockParam(b, v, ty);
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
      this.expectPunct(')', 'to close the block parameters');
    }
    const cold = this.peek();
    if (cold.kind === Tok.Word && cold.text === 'cold') {
      this.next();
      dfg.setCold(b, true);
    }
    this.expectPunct(':', 'after the block header');
    for (;;) {
      const s = this.peek();
      if (s.kind === Tok.Eof || (s.kind === Tok.Punct && s.text === '}')) return;
      if (s.kind === Tok.Word && BLOCK_RE.test(s.text) && (this.isPunct('(', 1) || this.isPunct(':', 1) ||
        (this.peek(1).kind === Tok.Word && this.peek(1).text === 'cold'))) return;
      this.parseInst(b);
    }
  }

  private parseInst(block: number): void {
    const dfg = this.func.dfg;
    let srcLoc = -1;
    let fuel = 0;
    let t = this.peek();
    if (t.kind === Tok.Word && t.text.startsWith('@')) {
      this.next();
      if (!/^@[0-9a-fA-F]+$/.test(t.text)) this.fail(t, `bad source location '${t.text}'`);
      srcLoc = parseInt(t.text.slice(1), 16);
      t = this.peek();
    }
    if (t.kind === Tok.Word && t.text === 'fuel' && this.isPunct('=', 1)) {
      this.next();
      this.next();
      const n = this.expectWord('a fuel amount');
      if (!/^\d+$/.test(n.text)) this.fail(n, `expected a fuel amount, found '${n.text}'`);
      fuel = Number(n.text);
      t = this.peek();
    }
    // Results.
    const results: Token[] = [];
    if (t.kind === Tok.Word && VALUE_RE.test(t.text)) {
      for (;;) {
        results.push(this.next());
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
      this.expectPunct('=', 'after the result values');
    }
    // Opcode and type suffix.
    const opTok = this.expectWord('an opcode');
    const dot = opTok.text.indexOf('.');
    const opName = dot >= 0 ? opTok.text.slice(0, dot) : opTok.text;
    const op = parseOpcode(opName);
    if (op < 0) this.fail(opTok, `unknown opcode '${opName}'`);
    const flags = OPCODE_FLAGS[op]!;
    const rule = OPCODE_TYPE_RULE[op]!;
    let ctrl: Type = NONE_TYPE;
    if (flags & OpFlag.TypeSuffix) {
      if (dot < 0) this.fail(opTok, `${opName} needs a type suffix, e.g. ${opName}.i32`);
      ctrl = this.parseTypeWord({ ...opTok, text: opTok.text.slice(dot + 1) });
    } else if (dot >= 0) {
      // Optional for opcodes whose type follows from an operand (needed when that operand comes later).
      if (!isTypeFromOperand(op)) this.fail(opTok, `${opName} takes no type suffix`);
      ctrl = this.parseTypeWord({ ...opTok, text: opTok.text.slice(dot + 1) });
    } else {
      ctrl = fixedResultType(rule);
    }
    const inst = dfg.makeInst(op, ctrl);
    if (srcLoc >= 0) dfg.setSrcLoc(inst, srcLoc);
    if (fuel !== 0) dfg.setTrapFuel(inst, fuel);
    this.parseOperands(inst, op, opTok);
    // Results: count from the opcode (or the call's signature).
    let resultTypes: Type[];
    if (rule === TypeRule.Call) {
      resultTypes = this.callSignature(inst, opTok).results;
    } else if (producesResult(rule)) {
      resultTypes = [ctrl];
    } else {
      resultTypes = [];
    }
    if (results.length !== resultTypes.length) {
      this.fail(opTok, `${opName} produces ${resultTypes.length} result(s), but ${results.length} are named`);
    }
    for (let i = 0; i < results.length; i++) {
      const v = this.valueRef(results[i]!);
      if (dfg.valueKind(v) !== ValueKind.Invalid) this.fail(results[i]!, `v${v} is defined twice`);
      dfg.attachResult(inst, v, resultTypes[i]!);
    }
    if (results.length === 1 && resultTypes[0] === NONE_TYPE) this.pendingTypes.push(inst);
    this.func.layout.appendInst(inst, block);
  }

  private callSignature(inst: Inst, at: Token): Signature {
    try {
      return this.func.dfg.callSignature(inst);
    } catch (e) {
      this.fail(at, (e as Error).message);
    }
  }

  private parseOperands(inst: Inst, op: number, opTok: Token): void {
    const dfg = this.func.dfg;
    const format = OPCODE_FORMAT[op];
    switch (format) {
      case Format.Nullary:
        break;
      case Format.Unary:
        dfg.setFixedArgs(inst, this.valueRef(this.next()), NONE, NONE);
        break;
      case Format.UnaryImm: {
        const t = this.next();
        if (dfg.instType(inst) === F32) {
          const bits = t.kind === Tok.Word ? parseF32(t.text) : null;
          if (bits === null) this.fail(t, `expected an f32 constant, found '${t.text}'`);
          dfg.setImm(inst, bits, 0);
        } else if (dfg.instType(inst) === F64) {
          const bits = t.kind === Tok.Word ? parseF64(t.text) : null;
          if (bits === null) this.fail(t, `expected an f64 constant, found '${t.text}'`);
          dfg.setImm(inst, bits[0], bits[1]);
        } else {
          const n = this.parseIntToken(t);
          dfg.setImm(inst, n.lo, n.hi);
          this.immInsts.push(inst);
        }
        break;
      }
      case Format.Binary:
      case Format.Store: {
        if (format === Format.Store) dfg.setAux(inst, this.parseMemFlags());
        const a = this.valueRef(this.next());
        this.expectPunct(',', 'between operands');
        if (format === Format.Store) {
          const [addr, offset] = this.parseAddress();
          dfg.setFixedArgs(inst, a, addr, NONE);
          dfg.setOffset(inst, offset);
        } else {
          dfg.setFixedArgs(inst, a, this.valueRef(this.next()), NONE);
        }
        break;
      }
      case Format.BinaryImm:
      case Format.IntCompareImm: {
        if (format === Format.IntCompareImm) dfg.setAux(inst, this.parseCond(true));
        const a = this.valueRef(this.next());
        this.expectPunct(',', 'before the immediate');
        const n = this.parseIntToken(this.next());
        dfg.setFixedArgs(inst, a, NONE, NONE);
        dfg.setImm(inst, n.lo, n.hi);
        this.immInsts.push(inst);
        break;
      }
      case Format.Ternary: {
        const a = this.valueRef(this.next());
        this.expectPunct(',', 'between operands');
        const b = this.valueRef(this.next());
        this.expectPunct(',', 'between operands');
        dfg.setFixedArgs(inst, a, b, this.valueRef(this.next()));
        break;
      }
      case Format.IntCompare:
      case Format.FloatCompare: {
        dfg.setAux(inst, this.parseCond(format === Format.IntCompare));
        const a = this.valueRef(this.next());
        this.expectPunct(',', 'between operands');
        dfg.setFixedArgs(inst, a, this.valueRef(this.next()), NONE);
        break;
      }
      case Format.Load: {
        dfg.setAux(inst, this.parseMemFlags());
        const [addr, offset] = this.parseAddress();
        dfg.setFixedArgs(inst, addr, NONE, NONE);
        dfg.setOffset(inst, offset);
        break;
      }
      case Format.Trap:
        dfg.setAux(inst, this.parseTrap());
        break;
      case Format.CondTrap: {
        const a = this.valueRef(this.next());
        this.expectPunct(',', 'before the trap code');
        dfg.setFixedArgs(inst, a, NONE, NONE);
        dfg.setAux(inst, this.parseTrap());
        break;
      }
      case Format.Jump:
        dfg.setJumpDest(inst, this.parseBlockCall());
        break;
      case Format.Brif: {
        const c = this.valueRef(this.next());
        this.expectPunct(',', 'after the condition');
        const thenCall = this.parseBlockCall();
        this.expectPunct(',', 'between destinations');
        dfg.setBrif(inst, c, thenCall, this.parseBlockCall());
        break;
      }
      case Format.BranchTable: {
        const index = this.valueRef(this.next());
        this.expectPunct(',', 'after the index');
        const calls: BlockCall[] = [this.parseBlockCall()];
        this.expectPunct(',', 'after the default destination');
        this.expectPunct('[', 'to open the jump table');
        if (!this.isPunct(']')) {
          for (;;) {
            calls.push(this.parseBlockCall());
            if (this.isPunct(',')) {
              this.next();
              continue;
            }
            break;
          }
        }
        this.expectPunct(']', 'to close the jump table');
        dfg.setBrTable(inst, index, calls);
        break;
      }
      case Format.MultiAry: {
        // Operands must stay on the opcode's line: the next line starts a new statement.
        const args: Value[] = [];
        if (this.peek().line === opTok.line && this.peek().kind === Tok.Word) {
          for (;;) {
            args.push(this.valueRef(this.next()));
            if (this.isPunct(',')) {
              this.next();
              continue;
            }
            break;
          }
        }
        dfg.setVarArgs(inst, args);
        break;
      }
      case Format.Call: {
        const t = this.expectWord('a function reference');
        const m = /^fn(\d+)$/.exec(t.text);
        if (!m) this.fail(t, `expected a function reference fnN, found '${t.text}'`);
        const fn = Number(m[1]);
        if (fn >= dfg.extFuncs.length) this.fail(t, `fn${fn} is not declared`);
        dfg.setAux(inst, fn);
        dfg.setVarArgs(inst, this.parseArgList());
        break;
      }
      case Format.CallIndirect: {
        const t = this.expectWord('a signature reference');
        const m = /^sig(\d+)$/.exec(t.text);
        if (!m) this.fail(t, `expected a signature reference sigN, found '${t.text}'`);
        const sig = Number(m[1]);
        if (sig >= dfg.signatures.length) this.fail(t, `sig${sig} is not declared`);
        dfg.setAux(inst, sig);
        this.expectPunct(',', 'after the signature');
        const callee = this.valueRef(this.next());
        const args = this.parseArgList();
        args.unshift(callee);
        dfg.setVarArgs(inst, args);
        break;
      }
      default:
        this.fail(opTok, `cannot parse ${opcodeName(op)}`);
    }
  }

  private parseArgList(): Value[] {
    this.expectPunct('(', 'to open the argument list');
    const args: Value[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.valueRef(this.next()));
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    this.expectPunct(')', 'to close the argument list');
    return args;
  }

  private parseBlockCall(): BlockCall {
    const b = this.blockRef(this.next());
    const args = this.isPunct('(') ? this.parseArgList() : [];
    return this.func.dfg.makeBlockCall(b, args);
  }

  private parseMemFlags(): number {
    let flags = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind !== Tok.Word) return flags;
      const bit = parseMemFlag(t.text);
      if (bit === 0) return flags;
      this.next();
      if (flags & bit) this.fail(t, `flag '${t.text}' given twice`);
      flags |= bit;
      const region = flags & (8 | 16 | 32);
      if (region & (region - 1)) this.fail(t, 'a memory access has at most one region (heap, table, vmctx)');
    }
  }

  /** `vN`, `vN+off` or `vN-off`. */
  private parseAddress(): [Value, number] {
    const t = this.next();
    const m = t.kind === Tok.Word ? ADDRESS_RE.exec(t.text) : null;
    if (!m) this.fail(t, `expected an address like v1+8, found '${t.text}'`);
    const v = this.valueRef({ ...t, text: 'v' + m[1] });
    let offset = 0;
    if (m[2] !== undefined) {
      offset = Number(m[3]) * (m[2] === '-' ? -1 : 1);
      if (offset > 0x7fffffff || offset < -0x80000000) this.fail(t, `offset ${offset} does not fit in 32 bits`);
    }
    return [v, offset];
  }

  private parseCond(isInt: boolean): number {
    const t = this.expectWord('a condition code');
    const cc = isInt ? parseIntCC(t.text) : parseFloatCC(t.text);
    if (cc < 0) this.fail(t, `unknown ${isInt ? 'integer' : 'float'} condition code '${t.text}'`);
    return cc;
  }

  private parseTrap(): number {
    const t = this.expectWord('a trap code');
    const code = parseTrapCode(t.text);
    if (code < 0) this.fail(t, `unknown trap code '${t.text}'`);
    return code;
  }

  // ---------------------------------------------------------------------------------------------------------
  // After the body: definitions, type inference, immediates
  // ---------------------------------------------------------------------------------------------------------

  private finishFunction(defined: Set<number>): void {
    const dfg = this.func.dfg;
    for (const [b, t] of this.blockRefs) if (!defined.has(b)) this.fail(t, `block${b} is used but never defined`);
    for (const [v, t] of this.valueRefs) {
      if (dfg.valueKind(v) === ValueKind.Invalid) this.fail(t, `v${v} is used but never defined`);
    }
    // Infer result types from operand types until nothing changes (uses may precede definitions in the text).
    let pending = this.pendingTypes;
    while (pending.length > 0) {
      const still: Inst[] = [];
      for (const inst of pending) {
        const rule = OPCODE_TYPE_RULE[dfg.opcode(inst)]!;
        const from = dfg.arg(inst, rule === TypeRule.Select ? 1 : 0);
        const t = dfg.valueType(from);
        if (t === NONE_TYPE) {
          still.push(inst);
          continue;
        }
        dfg.setInstType(inst, t);
        dfg.setValueType(dfg.firstResult(inst), t);
      }
      if (still.length === pending.length) {
        const inst = still[0]!;
        throw new IrParseError(
          `cannot infer the type of v${dfg.firstResult(inst)}: its operands' types depend on each other`, 1, 1);
      }
      pending = still;
    }
    // i32 immediates are kept sign-extended to 64 bits.
    for (const inst of this.immInsts) {
      const fmt = OPCODE_FORMAT[dfg.opcode(inst)];
      const t = fmt === Format.IntCompareImm ? dfg.valueType(dfg.arg(inst, 0)) : dfg.instType(inst);
      if (t === I32) dfg.setImm(inst, dfg.immLo(inst), dfg.immLo(inst) >> 31);
    }
  }
}

/** The result type of rules whose result type does not depend on operands; NONE_TYPE otherwise. */
function fixedResultType(rule: number): Type {
  switch (rule) {
    case TypeRule.IntCmp: case TypeRule.FloatCmp: return I32;
    case TypeRule.ConstF32: return F32;
    case TypeRule.ConstF64: return F64;
    case TypeRule.SameI64: return I64;
    default: return NONE_TYPE;
  }
}

function producesResult(rule: number): boolean {
  switch (rule) {
    case TypeRule.StoreAny: case TypeRule.StoreInt: case TypeRule.StoreI64: case TypeRule.Void:
    case TypeRule.CondInt: case TypeRule.IndexI32: case TypeRule.Return: case TypeRule.PinnedSet:
    case TypeRule.Call:
      return false;
    default:
      return true;
  }
}
