/**
 * The command files wast2json writes (`NAME.json` beside `NAME.N.wasm`): their shape, and reading one from disk.
 *
 * Values stay in their JSON form here; the runner parses them per command so that one bad value fails one command,
 * not the file.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { JsonValue } from './values.js';

export interface InvokeAction {
  readonly type: 'invoke';
  /** The module's `$name`; absent means the most recently defined module. */
  readonly module?: string;
  readonly field: string;
  readonly args: readonly JsonValue[];
}

export interface GetAction {
  readonly type: 'get';
  readonly module?: string;
  readonly field: string;
}

export type Action = InvokeAction | GetAction;

interface Located {
  /** Line in the .wast source: what every report names. */
  readonly line: number;
}

/** A module command or an assertion about a module: `filename` is relative to the JSON file's folder. */
interface ModuleFile extends Located {
  readonly filename: string;
  /** `binary` (a .wasm was written) or `text` (a .wat the suite did not keep: such commands are skipped). */
  readonly module_type?: 'binary' | 'text';
}

export interface ModuleCommand extends ModuleFile {
  readonly type: 'module';
  readonly name?: string;
}

export interface RegisterCommand extends Located {
  readonly type: 'register';
  /** The `$name` of the module to register; absent means the most recently defined module. */
  readonly name?: string;
  /** The import-module name other modules use for it. */
  readonly as: string;
}

export interface ActionCommand extends Located {
  readonly type: 'action';
  readonly action: Action;
  readonly expected?: readonly JsonValue[];
}

export interface AssertReturnCommand extends Located {
  readonly type: 'assert_return';
  readonly action: Action;
  readonly expected: readonly JsonValue[];
}

export interface AssertTrapCommand extends Located {
  readonly type: 'assert_trap' | 'assert_exhaustion';
  readonly action: Action;
  /** The spec interpreter's trap message, e.g. "integer divide by zero". */
  readonly text: string;
  /** The result types of the function (values absent). */
  readonly expected?: readonly JsonValue[];
}

export interface AssertModuleCommand extends ModuleFile {
  readonly type: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable';
  readonly text: string;
}

export type WastCommand =
  | ModuleCommand
  | RegisterCommand
  | ActionCommand
  | AssertReturnCommand
  | AssertTrapCommand
  | AssertModuleCommand;

export type WastCommandType = WastCommand['type'];

export const COMMAND_TYPES: readonly WastCommandType[] = [
  'module',
  'register',
  'action',
  'assert_return',
  'assert_trap',
  'assert_exhaustion',
  'assert_invalid',
  'assert_malformed',
  'assert_unlinkable',
  'assert_uninstantiable',
];

export interface WastScript {
  /** The JSON file's path, as given. */
  readonly path: string;
  /** The folder the command files' `filename`s are relative to. */
  readonly dir: string;
  /** The .wast the commands came from (e.g. `i32.wast`), or the JSON file's name when absent. */
  readonly sourceFilename: string;
  readonly commands: readonly WastCommand[];
}

/** A command file that cannot be read or is not a wast2json command list. */
export class WastScriptError extends Error {
  override readonly name = 'WastScriptError';
}

/**
 * Reads and checks the outer shape of a command file: an object with a `commands` array whose entries each have a
 * known `type` and a numeric `line`. The fields of each command are checked when it runs.
 */
export function readWastScript(path: string): WastScript {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new WastScriptError(`${path}: cannot read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WastScriptError(`${path}: not JSON: ${(error as Error).message}`);
  }
  const root = json as { source_filename?: unknown; commands?: unknown } | null;
  if (root === null || typeof root !== 'object' || !Array.isArray(root.commands)) {
    throw new WastScriptError(`${path}: not a wast2json command file (no "commands" array)`);
  }
  root.commands.forEach((command: unknown, index: number) => {
    const c = command as { type?: unknown; line?: unknown } | null;
    if (c === null || typeof c !== 'object' || typeof c.line !== 'number') {
      throw new WastScriptError(`${path}: command #${index} has no numeric "line"`);
    }
    if (!COMMAND_TYPES.includes(c.type as WastCommandType)) {
      throw new WastScriptError(`${path}: line ${c.line}: unknown command type ${JSON.stringify(c.type)}`);
    }
  });
  const source = typeof root.source_filename === 'string' ? root.source_filename : basename(path);
  return { path, dir: dirname(path), sourceFilename: source, commands: root.commands as WastCommand[] };
}

/** Whether a command is counted as an assertion (everything but `register`, which only counts when it fails). */
export function isCounted(command: WastCommand): boolean {
  return command.type !== 'register';
}
