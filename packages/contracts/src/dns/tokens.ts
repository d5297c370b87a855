// RFC 1035 section 5.1 tokenizing: a master file → logical lines of tokens, parentheses
// joining physical lines, `;` comments, quoted strings with \X and \DDD escapes (kept as
// bytes), a leading blank meaning "the previous owner". Each line keeps its first physical
// line number for error messages.

export interface Token {
  text: string;
  quoted: boolean;
  /** the bytes of a quoted string, escapes decoded */
  bytes?: Uint8Array;
}
export interface Line {
  line: number;
  /** the line started with a blank: the owner is the previous record's */
  inherit: boolean;
  tokens: Token[];
}

const encoder = new TextEncoder();

function readQuoted(src: string, start: number): { end: number; bytes: number[] } | null {
  const bytes: number[] = [];
  let i = start + 1;
  while (i < src.length && src[i] !== '"') {
    if (src[i] === "\\") {
      const digits = /^[0-9]{3}/.exec(src.slice(i + 1, i + 4))?.[0];
      if (digits && Number(digits) < 256) {
        bytes.push(Number(digits));
        i += 4;
        continue;
      }
      i++;
      if (i >= src.length) return null;
    }
    const char = src.codePointAt(i) ?? 0;
    const text = String.fromCodePoint(char);
    if (text === "\n") return null;
    bytes.push(...encoder.encode(text));
    i += text.length;
  }
  return i < src.length ? { end: i + 1, bytes } : null;
}

/** The logical lines of a master file, or the line where tokenizing failed. */
export function tokenize(src: string): { lines: Line[] } | { line: number; error: string } {
  const lines: Line[] = [];
  let lineNo = 1;
  let depth = 0;
  let current: Line | null = null;
  let i = 0;
  while (i < src.length) {
    const char = src[i] as string;
    if (char === "\n") {
      if (depth === 0 && current) {
        if (current.tokens.length) lines.push(current);
        current = null;
      }
      lineNo++;
      i++;
      continue;
    }
    current ??= { line: lineNo, inherit: char === " " || char === "\t", tokens: [] };
    if (char === " " || char === "\t" || char === "\r") i++;
    else if (char === ";") while (i < src.length && src[i] !== "\n") i++;
    else if (char === "(") {
      depth++;
      i++;
    } else if (char === ")") {
      if (--depth < 0) return { line: lineNo, error: "a ) without its (" };
      i++;
    } else if (char === '"') {
      const q = readQuoted(src, i);
      if (!q) return { line: lineNo, error: "a quoted string is not closed on its line" };
      const text = new TextDecoder().decode(Uint8Array.from(q.bytes));
      current.tokens.push({ text, quoted: true, bytes: Uint8Array.from(q.bytes) });
      i = q.end;
    } else {
      let end = i;
      while (end < src.length && !/[\s;()"]/.test(src[end] as string)) end++;
      current.tokens.push({ text: src.slice(i, end), quoted: false });
      i = end;
    }
  }
  if (depth > 0) return { line: lineNo, error: "a ( is never closed" };
  if (current?.tokens.length) lines.push(current);
  return { lines };
}
