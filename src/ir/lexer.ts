/**
 * Tokenizer for the IR text form. Words are runs of `[A-Za-z0-9_.$+-@]` (so `iconst.i32`, `v1+8`, `-1.5e-7`,
 * `@001a` are single words); a `:` directly followed by a letter or digit stays inside a word (`nan:0x200000`).
 * `;` starts a comment to the end of the line.
 */

export const Tok = {
  Word: 0,
  String: 1,
  Punct: 2,
  Arrow: 3,
  Eof: 4,
} as const;
export type Tok = number;

export interface Token {
  kind: Tok;
  text: string;
  line: number;
  col: number;
}

/** A parse error with its 1-based line and column. */
export class IrParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(`line ${line}, column ${col}: ${message}`);
    this.name = 'IrParseError';
  }
}

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || c === 46 || c === 36 || c === 43 || c === 45 || c === 64 // _ . $ + - @
  );
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const PUNCT = '(){}[],=:%';

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (c === 59) {
      // ; comment
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === 45 && text.charCodeAt(i + 1) === 62) {
      out.push({ kind: Tok.Arrow, text: '->', line, col });
      i += 2;
      continue;
    }
    if (c === 34) {
      // "string" with JSON escapes
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 34) {
        if (text.charCodeAt(j) === 92) j++;
        if (text.charCodeAt(j) === 10) break;
        j++;
      }
      if (j >= n || text.charCodeAt(j) !== 34) throw new IrParseError('unterminated string', line, col);
      let value: string;
      try {
        value = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        throw new IrParseError('bad escape in string', line, col);
      }
      out.push({ kind: Tok.String, text: value, line, col });
      i = j + 1;
      continue;
    }
    if (isWordChar(c)) {
      let j = i;
      for (;;) {
        const d = text.charCodeAt(j);
        if (isWordChar(d)) {
          if (d === 45 && text.charCodeAt(j + 1) === 62 && j > i) break; // "->" ends a word
          j++;
        } else if (d === 58 && isAlnum(text.charCodeAt(j + 1))) {
          j++;
        } else break;
      }
      out.push({ kind: Tok.Word, text: text.slice(i, j), line, col });
      i = j;
      continue;
    }
    if (PUNCT.includes(text[i]!)) {
      out.push({ kind: Tok.Punct, text: text[i]!, line, col });
      i++;
      continue;
    }
    throw new IrParseError(`unexpected character '${text[i]}'`, line, col);
  }
  out.push({ kind: Tok.Eof, text: '<end of input>', line, col: i - lineStart + 1 });
  return out;
}
