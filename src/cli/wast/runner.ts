/**
 * Runs one wast2json command file against a WastEngine and counts the verdicts.
 *
 * Counting: every command is one assertion except `register`, which counts only when it fails. A command is skipped
 * (not failed) when it needs what this run cannot do: a text-format module (the suite keeps binary ones only), a
 * v128 value or a SIMD script when the run has no SIMD, or an action on a module that was itself skipped.
 *
 * Trap policy: any RuntimeError satisfies assert_trap and assert_uninstantiable; when the engine's message names a
 * different trap kind than the script's text (or is not recognised) that is recorded as a note, not a failure.
 * assert_exhaustion accepts the host's stack-overflow error (V8: RangeError) or a RuntimeError.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  isCounted,
  readWastScript,
  type Action,
  type AssertModuleCommand,
  type AssertTrapCommand,
  type WastCommand,
  type WastCommandType,
  type WastScript,
} from './commands.js';
import { errorMessage, type EngineErrorKind, type WastEngine } from './engine.js';
import { compareResults, parseExpected } from './expected.js';
import { trapKindOfSpecText, trapKindsOfMessage } from './trap-kinds.js';
import {
  WastValueError,
  formatValue,
  isLaneType,
  isNumType,
  isRefType,
  parseValue,
  type JsonValue,
  type WastType,
  type WastValue,
} from './values.js';

export interface WastFailure {
  readonly line: number;
  /** The command type, or 'file' when the command file itself could not be read. */
  readonly command: WastCommandType | 'file';
  readonly message: string;
}

/** Something worth knowing that is not a failure (e.g. a trap message that names another trap kind). */
export type WastNote = WastFailure;

export interface WastFileResult {
  readonly file: string;
  passed: number;
  failed: number;
  skipped: number;
  readonly failures: WastFailure[];
  readonly notes: WastNote[];
}

export interface WastRunOptions {
  /** Run v128 commands and `simd_*` scripts; default: the engine's `simd`. */
  readonly simd?: boolean;
}

interface ReadySlot<Instance> {
  readonly state: 'ready';
  readonly line: number;
  readonly instance: Instance;
}

type ModuleSlot<Instance> = ReadySlot<Instance> | { readonly state: 'failed' | 'skipped'; readonly line: number };

/** Thrown by the runner for a problem of the script or the export (not the engine's own error). */
class ScriptProblem extends Error {}

/** The result of a command that has to be skipped, thrown to leave the command early. */
class SkipCommand extends Error {}

/** Whether a script is a SIMD one (the suite names them simd_*.wast). */
export function isSimdScript(script: WastScript): boolean {
  return basename(script.sourceFilename).startsWith('simd_');
}

/** Runs the command file at `jsonPath`. Never throws for a bad file or a failing engine: both are failures. */
export function runWastFile<M, I, E>(
  jsonPath: string,
  engine: WastEngine<M, I, E>,
  options: WastRunOptions = {},
): WastFileResult {
  let script: WastScript;
  try {
    script = readWastScript(jsonPath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file: jsonPath, passed: 0, failed: 1, skipped: 0, failures: [{ line: 0, command: 'file', message }], notes: [] };
  }
  return new ScriptRun(script, engine, options.simd ?? engine.simd).run();
}

class ScriptRun<M, I, E> {
  private readonly result: WastFileResult;
  private readonly imports = new Map<string, E>();
  private readonly named = new Map<string, ModuleSlot<I>>();
  private current: ModuleSlot<I> | undefined;

  constructor(
    private readonly script: WastScript,
    private readonly engine: WastEngine<M, I, E>,
    private readonly simd: boolean,
  ) {
    this.result = { file: script.path, passed: 0, failed: 0, skipped: 0, failures: [], notes: [] };
  }

  run(): WastFileResult {
    const { script, result } = this;
    if (!this.simd && isSimdScript(script)) {
      for (const command of script.commands) if (isCounted(command)) result.skipped++;
      return result;
    }
    try {
      this.imports.set('spectest', this.engine.createSpectest());
    } catch (error) {
      result.failed++;
      result.failures.push({ line: 0, command: 'file', message: `cannot create spectest: ${errorMessage(error)}` });
      return result;
    }
    for (const command of script.commands) this.runCommand(command);
    return result;
  }

  private runCommand(command: WastCommand): void {
    try {
      this.dispatch(command);
      if (isCounted(command)) this.result.passed++;
    } catch (error) {
      if (error instanceof SkipCommand) {
        if (isCounted(command)) this.result.skipped++;
        return;
      }
      this.result.failed++;
      const message = error instanceof ScriptProblem || error instanceof WastValueError ? error.message : errorMessage(error);
      this.result.failures.push({ line: command.line, command: command.type, message });
    }
  }

  /** Returns when the command passed; throws ScriptProblem (failed) or SkipCommand (skipped). */
  private dispatch(command: WastCommand): void {
    switch (command.type) {
      case 'module':
        return this.defineModule(command.line, command.filename, command.module_type, command.name);
      case 'register':
        return this.register(command.as, command.name);
      case 'action':
        this.perform(command.action, typesOf(command.expected, command.line));
        return;
      case 'assert_return':
        return this.assertReturn(command.line, command.action, command.expected);
      case 'assert_trap':
      case 'assert_exhaustion':
        return this.assertTrap(command);
      case 'assert_invalid':
      case 'assert_malformed':
        return this.assertNotCompiling(command);
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
        return this.assertNotInstantiating(command);
    }
  }

  private moduleBytes(line: number, filename: string, moduleType: string | undefined): Uint8Array {
    if (moduleType === 'text') throw new SkipCommand();
    const path = join(this.script.dir, filename);
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ScriptProblem(`line ${line}: cannot read module ${path}: ${(error as Error).message}`);
    }
  }

  private defineModule(line: number, filename: string, moduleType: string | undefined, name: string | undefined): void {
    let slot: ModuleSlot<I> = { state: 'failed', line };
    try {
      const bytes = this.moduleBytes(line, filename, moduleType);
      const module = this.engineStep('compile', () => this.engine.compile(bytes));
      const instance = this.engineStep('instantiate', () => this.engine.instantiate(module, this.imports));
      slot = { state: 'ready', line, instance };
    } catch (error) {
      if (error instanceof SkipCommand) slot = { state: 'skipped', line };
      throw error;
    } finally {
      // Later commands name this module (or use it as the current one) whether or not it loaded.
      this.current = slot;
      if (name !== undefined) this.named.set(name, slot);
    }
  }

  /** Runs an engine step, turning its error into a failure message that says which step and what kind. */
  private engineStep<T>(step: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw new ScriptProblem(`${step} failed: ${this.describeError(error)}`);
    }
  }

  private describeError(error: unknown): string {
    return `${this.classify(error)}: ${errorMessage(error)}`;
  }

  private classify(error: unknown): EngineErrorKind {
    try {
      return this.engine.classifyError(error);
    } catch {
      return 'other';
    }
  }

  /** The module an action or register names; throws SkipCommand / ScriptProblem unless it loaded. */
  private slotFor(name: string | undefined): ReadySlot<I> {
    const slot = name === undefined ? this.current : this.named.get(name);
    if (slot === undefined) {
      throw new ScriptProblem(name === undefined ? 'no module defined yet' : `no module named ${name}`);
    }
    if (slot.state === 'ready') return slot;
    if (slot.state === 'skipped') throw new SkipCommand();
    throw new ScriptProblem(`module ${name === undefined ? '' : `${name} `}(line ${slot.line}) failed to load`);
  }

  private register(as: string, name: string | undefined): void {
    const slot = this.slotFor(name);
    this.imports.set(as, this.engine.exportsOf(slot.instance));
  }

  /**
   * Performs an action; throws the engine's own error when it traps. `resultTypes` null: results not needed.
   * `raw` says whether the values travelled through the raw-bits channel (else as JS numbers, see compareResults).
   */
  private perform(action: Action, resultTypes: readonly WastType[] | null): { values: WastValue[]; raw: boolean } {
    const slot = this.slotFor(action.module);
    const exported = this.engine.exportOf(slot.instance, action.field);
    if (exported === undefined) throw new ScriptProblem(`no export ${JSON.stringify(action.field)}`);
    if (action.type === 'get') {
      if (resultTypes === null || resultTypes.length !== 1) throw new ScriptProblem('get needs one expected type');
      this.skipUnlessRunnable(resultTypes);
      return { values: [this.engine.readGlobal(exported, resultTypes[0]!)], raw: false };
    }
    const args = action.args.map((arg, i) => parseValue(arg, `arg ${i}`));
    this.skipUnlessRunnable(args.map((arg) => arg.type));
    if (resultTypes !== null) this.skipUnlessRunnable(resultTypes);
    if (this.engine.callRaw !== undefined && resultTypes !== null) {
      const values = this.engine.callRaw(exported, args, resultTypes);
      if (values !== undefined) return { values, raw: true };
    }
    return { values: this.engine.call(exported, args, resultTypes), raw: false };
  }

  private skipUnlessRunnable(types: readonly WastType[]): void {
    if (!this.simd && types.includes('v128')) throw new SkipCommand();
  }

  private assertReturn(line: number, action: Action, expectedJson: readonly JsonValue[]): void {
    const expected = expectedJson.map((json, i) => parseExpected(json, `expected ${i}`));
    let actual: { values: WastValue[]; raw: boolean };
    try {
      actual = this.perform(action, expected.map((e) => e.type));
    } catch (error) {
      if (error instanceof ScriptProblem || error instanceof SkipCommand || error instanceof WastValueError) throw error;
      throw new ScriptProblem(`${describeAction(action)} threw ${this.describeError(error)}`);
    }
    const { mismatch, quieted } = compareResults(expected, actual.values, !actual.raw);
    if (mismatch !== null) throw new ScriptProblem(`${describeAction(action)}: ${mismatch}`);
    for (const i of quieted) {
      const got = formatValue(actual.values[i]!);
      this.note(line, 'assert_return', `result ${i}: signalling NaN came back quieted through JS numbers (${got})`);
    }
  }

  private assertTrap(command: AssertTrapCommand): void {
    const { action, text } = command;
    let results: WastValue[];
    try {
      results = this.perform(action, typesOf(command.expected, command.line)).values;
    } catch (error) {
      if (error instanceof ScriptProblem || error instanceof SkipCommand || error instanceof WastValueError) throw error;
      const kind = this.classify(error);
      const accepted = command.type === 'assert_exhaustion' ? kind === 'runtime' || kind === 'exhaustion' : kind === 'runtime';
      if (!accepted) {
        throw new ScriptProblem(`${describeAction(action)}: expected a trap "${text}", threw ${this.describeError(error)}`);
      }
      if (kind === 'runtime') this.noteTrapMismatch(command, text, error);
      return;
    }
    const shown = results.map((value) => formatValue(value)).join(', ');
    throw new ScriptProblem(`${describeAction(action)}: expected a trap "${text}", returned [${shown}]`);
  }

  /** Records a note when the engine's trap message names another kind than the script's text. */
  private noteTrapMismatch(command: WastCommand, text: string, error: unknown): void {
    const expectedKind = trapKindOfSpecText(text);
    const message = error instanceof Error ? error.message : String(error);
    const kinds = trapKindsOfMessage(message);
    if (expectedKind !== null && kinds.includes(expectedKind)) return;
    const said = kinds.length === 0 ? 'an unrecognised trap' : kinds.join('/');
    const expectedName = expectedKind ?? 'unknown kind';
    this.note(command.line, command.type, `trap message mismatch: expected "${text}" (${expectedName}), engine said "${message}" (${said})`);
  }

  private note(line: number, command: WastCommandType, message: string): void {
    this.result.notes.push({ line, command, message });
  }

  private assertNotCompiling(command: AssertModuleCommand): void {
    const bytes = this.moduleBytes(command.line, command.filename, command.module_type);
    const what = command.type === 'assert_invalid' ? 'invalid' : 'malformed';
    let valid: boolean;
    try {
      valid = this.engine.validate(bytes);
    } catch (error) {
      throw new ScriptProblem(`validate threw ${this.describeError(error)} (expected false: ${what}, "${command.text}")`);
    }
    if (valid) throw new ScriptProblem(`validate returned true for a ${what} module ("${command.text}")`);
    try {
      this.engine.compile(bytes);
    } catch (error) {
      const kind = this.classify(error);
      if (kind === 'compile') return;
      throw new ScriptProblem(`compile threw ${this.describeError(error)}, expected a CompileError ("${command.text}")`);
    }
    throw new ScriptProblem(`compiled a ${what} module, expected a CompileError ("${command.text}")`);
  }

  private assertNotInstantiating(command: AssertModuleCommand): void {
    const bytes = this.moduleBytes(command.line, command.filename, command.module_type);
    const module = this.engineStep('compile', () => this.engine.compile(bytes));
    const wanted: EngineErrorKind = command.type === 'assert_unlinkable' ? 'link' : 'runtime';
    try {
      this.engine.instantiate(module, this.imports);
    } catch (error) {
      const kind = this.classify(error);
      if (kind !== wanted) {
        throw new ScriptProblem(`instantiate threw ${this.describeError(error)}, expected a ${wanted} error ("${command.text}")`);
      }
      if (kind === 'runtime') this.noteTrapMismatch(command, command.text, error);
      return;
    }
    throw new ScriptProblem(`instantiated, expected a ${wanted} error ("${command.text}")`);
  }
}

/** The value types listed in `expected` (assert_trap and action list types without values). */
function typesOf(expected: readonly JsonValue[] | undefined, line: number): WastType[] | null {
  if (expected === undefined) return null;
  return expected.map((json, i) => {
    const type = json.type;
    if (!isNumType(type) && !isRefType(type)) {
      throw new WastValueError(`line ${line}: expected ${i}: unknown value type ${JSON.stringify(type)}`);
    }
    return type;
  });
}

/** `invoke "f"(i32:1, f32:0.5 (0x3f000000))` or `get "g"` (with the module's name when given). */
export function describeAction(action: Action): string {
  const target = `${action.module === undefined ? '' : `${action.module}.`}${JSON.stringify(action.field)}`;
  if (action.type === 'get') return `get ${target}`;
  const args = action.args.map((json) => {
    try {
      const laneType = json.lane_type !== undefined && isLaneType(json.lane_type) ? json.lane_type : 'i32';
      return formatValue(parseValue(json, 'arg'), laneType);
    } catch {
      return JSON.stringify(json);
    }
  });
  return `invoke ${target}(${args.join(', ')})`;
}
