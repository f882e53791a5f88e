/** Helpers for the pass tests: run passes on IR text and get the printed result, verifying after each pass. */
import { parseFunction, printFunction, verifyFunction, type IrFunction } from '../../../src/ir/index.js';
import { runPass, type PassName, type PassStats, emptyPassStats } from '../../../src/ir/passes/index.js';

/** Throws with the verifier's messages and the function text when `func` is invalid. */
export function assertValid(func: IrFunction, context: string): void {
  const errors = verifyFunction(func);
  if (errors.length > 0) throw new Error(`${context}: verifier:\n  ${errors.join('\n  ')}\n${printFunction(func)}`);
}

/** Parses `text`, runs `passes` in order (verifying after each), returns the printed result and the stats. */
export function optimizeText(text: string, passes: readonly PassName[]): { text: string; stats: PassStats; func: IrFunction } {
  const func = parseFunction(text);
  assertValid(func, 'input');
  const stats = emptyPassStats();
  for (const p of passes) {
    runPass(func, p, stats);
    assertValid(func, `after ${p}`);
  }
  return { text: printFunction(func), stats, func };
}

/** Removes the common indentation of a template literal and trims the first newline, so expected IR reads well. */
export function ir(strings: TemplateStringsArray, ...values: unknown[]): string {
  let s = strings.reduce((acc, str, i) => acc + str + (i < values.length ? String(values[i]) : ''), '');
  s = s.replace(/^\n/, '');
  const lines = s.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').replace(/\s*$/, '\n');
}
