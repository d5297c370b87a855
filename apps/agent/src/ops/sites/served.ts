// Which names the server blocks on this node serve, from `nginx -T` (every file nginx loads,
// each after a "# configuration file <path>:" line), and whether a pattern serves a name the
// way nginx matches them: exact, "*.example.com", ".example.com" (the name and every
// subdomain), "www.example.*", "~regex" (PCRE; the common subset runs as a JavaScript
// RegExp), "$hostname". "_" and "" name nothing. Pure: no file system, no processes.
import { readRendered } from "./render.ts";

/** one `server_name` value and the file it is written in */
export interface ServedName {
  file: string;
  pattern: string;
}

const HEADER = /^# configuration file (.+):$/gm;

/** Every server_name value in a `nginx -T` dump, with its file. */
export function servedNames(dump: string): ServedName[] {
  const out: ServedName[] = [];
  const heads = [...dump.matchAll(HEADER)];
  for (const [i, h] of heads.entries()) {
    const start = (h.index ?? 0) + h[0].length;
    const text = dump.slice(start, heads[i + 1]?.index ?? dump.length);
    const file = h[1] ?? "";
    // the agent's own site files are read back as render.ts wrote them (fast on a node with
    // thousands of sites); any other file is tokenized as nginx does
    const lists = ownNames(text) ?? directives(text);
    for (const d of lists)
      if (d[0] === "server_name") for (const pattern of d.slice(1)) out.push({ file, pattern });
  }
  return out;
}

/** The server_name lists of a site file the agent wrote, or null when it is not one. */
function ownNames(text: string): string[][] | null {
  const site = readRendered(text.replace(/^\n/, ""));
  const names = site ? [...site.served, ...site.redirects.flatMap((r) => r.names)] : [];
  return names.length ? [["server_name", ...names]] : null;
}

// one token at a time: blanks, a comment, ; { }, a quoted word, or a bare word (in which a
// backslash escapes the next character and "${name}" is a variable, not a block)
const TOKEN =
  /\s+|#[^\n]*|([;{}])|"((?:\\[\s\S]|[^"\\])*)"?|'((?:\\[\s\S]|[^'\\])*)'?|((?:\\[\s\S]|\$\{[^}]*\}|[^\s;{}\\])+)/y;

/** The directives of one file as word lists (block openers included), as nginx tokenizes. */
export function directives(text: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m && m[0] !== ""; m = TOKEN.exec(text)) {
    const [, special, double, single, bare] = m;
    if (special) {
      if (special !== "}" && words.length) out.push(words);
      words = [];
    } else {
      const word = double ?? single ?? bare;
      if (word !== undefined) words.push(word.replace(/\\([\s\S])/g, (_, c: string) => escaped(c)));
    }
  }
  return out;
}

function escaped(c: string): string {
  if (c === "t") return "\t";
  if (c === "r") return "\r";
  if (c === "n") return "\n";
  return c === '"' || c === "'" || c === "\\" ? c : `\\${c}`;
}

/** A server_name regex as a JavaScript RegExp (PCRE's named groups, a leading (?i)); null when it cannot be. */
export function patternRegex(pattern: string): RegExp | null {
  let src = pattern.slice(1).replace(/\(\?P</g, "(?<");
  let flags = "";
  if (src.startsWith("(?i)")) {
    src = src.slice(4);
    flags = "i";
  }
  try {
    return new RegExp(src, flags);
  } catch {
    return null;
  }
}

/** Does a server_name pattern serve this (lower-case) name, as nginx matches it. */
export function serves(pattern: string, name: string, hostname: string): boolean {
  if (pattern.startsWith("~")) return patternRegex(pattern)?.test(name) ?? false;
  const p = (pattern === "$hostname" ? hostname : pattern).toLowerCase();
  if (p.startsWith(".")) return name === p.slice(1) || name.endsWith(p);
  if (p.startsWith("*.")) return name.length > p.length - 1 && name.endsWith(p.slice(1));
  if (p.endsWith(".*")) return name.length > p.length - 1 && name.startsWith(p.slice(0, -1));
  return name === p;
}
