// Which names the server blocks on this node serve, from `nginx -T` (every file nginx loads,
// each after a "# configuration file <path>:" line), and whether a pattern serves a name the
// way nginx matches them: exact, "*.example.com", ".example.com" (the name and every
// subdomain), "www.example.*", "~regex" (PCRE; the common subset runs as a JavaScript
// RegExp), "$hostname". "_" and "" name nothing. Pure: no file system, no processes.

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
    for (const d of directives(text))
      if (d[0] === "server_name")
        for (const p of d.slice(1)) out.push({ file: h[1] ?? "", pattern: p });
  }
  return out;
}

/** The directives of one file as word lists (block openers included), as nginx tokenizes. */
export function directives(text: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === ";" || c === "{" || c === "}") {
      if (c !== "}" && words.length) out.push(words);
      words = [];
      i++;
    } else if (c === '"' || c === "'") {
      let w = "";
      for (i++; i < n && text[i] !== c; i++) w += text[i] === "\\" ? escaped(text[++i]) : text[i];
      words.push(w);
      i++;
    } else {
      let w = "";
      while (i < n && !/[\s;{}]/.test(text[i] as string)) {
        if (text[i] === "\\" && i + 1 < n) {
          w += escaped(text[i + 1]);
          i += 2;
        } else if (text[i] === "$" && text[i + 1] === "{") {
          // "${name}" is a variable, not a block
          const end = text.indexOf("}", i);
          w += text.slice(i, end < 0 ? n : end + 1);
          i = end < 0 ? n : end + 1;
        } else w += text[i++];
      }
      words.push(w);
    }
  }
  return out;
}

function escaped(c: string | undefined): string {
  if (c === "t") return "\t";
  if (c === "r") return "\r";
  if (c === "n") return "\n";
  return c === '"' || c === "'" || c === "\\" ? c : `\\${c ?? ""}`;
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
