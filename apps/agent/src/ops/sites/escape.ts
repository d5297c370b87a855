// The only way a value reaches a generated nginx or PHP-FPM file. Inputs were validated by
// the contract's schemas already; this is the second wall: each kind of value has an
// alphabet, and anything outside it (`;`, braces, quotes, `$`, `#`, whitespace, newlines,
// `..` segments...) throws instead of being emitted. Nothing is ever quoted or escaped
// into something else: a value is either plainly safe or refused. Names, ids and users are
// checked with the contracts' own rules (validators.ts), so both walls refuse the same values.
import {
  htHashPattern,
  htUserPattern,
  protectedPathPattern,
  writableDirPattern,
} from "@steward/contracts/agent";
import { idPattern, isDnsName, systemUserPattern } from "@steward/contracts/validators";

export class RenderError extends Error {}

const pattern = (re: RegExp) => (s: string) => re.test(s);

const alphabets = {
  /** a DNS name as the domain validator leaves it (lowercase ASCII, at least two labels) */
  domain: isDnsName,
  /** an absolute path of safe segments */
  path: pattern(/^(\/[A-Za-z0-9._-]+)+$/),
  /** a system user or group name */
  user: pattern(systemUserPattern),
  /** an opaque identifier */
  id: pattern(idPattern),
  /** an IPv4 address, a bracketed IPv6 address, or a host name (a listen address) */
  address: pattern(/^([0-9.]{7,15}|\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]{1,253})$/),
  /** a protected URL path prefix (a location) */
  location: (s: string) => s.length <= 255 && protectedPathPattern.test(s),
  /** a basic-auth user name and its bcrypt hash (an htpasswd line) */
  htUser: pattern(htUserPattern),
  htHash: pattern(htHashPattern),
  /** a directory relative to the document root (a writable directory) */
  dir: (s: string) => s.length <= 200 && writableDirPattern.test(s),
  /** a port number */
  port: pattern(/^[0-9]{1,5}$/),
} as const;

export type Alphabet = keyof typeof alphabets;

/** Returns `value` unchanged when it is made only of its kind's alphabet, else throws. */
export function safe(kind: Alphabet, value: string | number): string {
  const s = String(value);
  if (!alphabets[kind](s)) throw new RenderError(`refusing to render ${kind} ${JSON.stringify(s)}`);
  if (
    (kind === "path" || kind === "location" || kind === "dir") &&
    s.split("/").some((seg) => seg === "." || seg === "..")
  )
    throw new RenderError(`refusing to render path ${JSON.stringify(s)}: . or .. segment`);
  if (kind === "port" && (Number(s) < 1 || Number(s) > 65535))
    throw new RenderError(`refusing to render port ${s}`);
  return s;
}

/**
 * A relative directory as the literal start of a URI in an nginx regex location: its
 * alphabet (dir) has one regex metacharacter, `.`, escaped here; nothing else needs quoting.
 */
export function dirRegex(value: string): string {
  return safe("dir", value).replaceAll(".", "\\.");
}
