// A compose file's text to a plain object: YAML parsed with `yaml` (aliases bounded, so an
// alias bomb is refused rather than expanded; duplicate keys refused; merge keys `<<` as
// compose allows them), then `${VAR}` interpolated from the app's environment only (never
// the node's): `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
// `${VAR?message}`, `${VAR:+other}`, `${VAR+other}` and `$$` for a dollar sign.
import { parseDocument } from "yaml";

export interface ComposeIssue {
  /** where: `services.web.privileged`, `volumes.data.driver_opts`, `compose` for the file */
  path: string;
  message: string;
}

/** A compose file is at most this long (characters). */
export const COMPOSE_MAX_CHARS = 256 * 1024;
/** aliases (`*name`) a file may use: compose files use a few; a bomb uses thousands */
const MAX_ALIASES = 200;
const MAX_DEPTH = 32;

export function parseYaml(text: string): { value?: unknown; issues: ComposeIssue[] } {
  if (text.length > COMPOSE_MAX_CHARS)
    return {
      issues: [{ path: "compose", message: `must be at most ${COMPOSE_MAX_CHARS} characters` }],
    };
  if (text.includes("\u0000"))
    return { issues: [{ path: "compose", message: "must not contain NUL bytes" }] };
  const doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false });
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length)
    return {
      issues: errors.slice(0, 5).map((e) => ({
        path: "compose",
        message: `is not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
    if (depth(value) > MAX_DEPTH)
      return { issues: [{ path: "compose", message: `must nest at most ${MAX_DEPTH} levels` }] };
    return { value, issues: [] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { issues: [{ path: "compose", message: `is refused: ${message}` }] };
  }
}

function depth(v: unknown, d = 0): number {
  if (d > MAX_DEPTH || v === null || typeof v !== "object") return d;
  let most = d;
  for (const x of Object.values(v)) most = Math.max(most, depth(x, d + 1));
  return most;
}

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const TOKEN = new RegExp(`\\$(?:(\\$)|\\{([^}]*)\\}|(${NAME}))`, "g");
const BRACED = new RegExp(`^(${NAME})(?:(:?[-?+])([\\s\\S]*))?$`);

/** One string's `${VAR}` references replaced from `env`; unknown or malformed ones are issues. */
export function interpolate(
  s: string,
  env: Record<string, string>,
  path: string,
  issues: ComposeIssue[],
): string {
  if (!s.includes("$")) return s;
  return s.replace(TOKEN, (whole, dollar?: string, braced?: string, bare?: string) => {
    if (dollar) return "$";
    if (bare) return lookup(bare, undefined, undefined);
    const m = BRACED.exec(braced ?? "");
    if (!m?.[1]) {
      issues.push({ path, message: `has an invalid reference ${whole.slice(0, 60)}` });
      return "";
    }
    return lookup(m[1], m[2], m[3] ?? "");
  });

  function lookup(name: string, op: string | undefined, arg: string | undefined): string {
    const has = Object.hasOwn(env, name);
    const value = has ? (env[name] as string) : undefined;
    const set = op?.startsWith(":") ? has && value !== "" : has;
    switch (op?.replace(":", "")) {
      case "-":
        return set ? (value as string) : (arg ?? "");
      case "+":
        return set ? (arg ?? "") : "";
      case "?":
        if (!set) issues.push({ path, message: `needs the variable ${name}: ${arg || "unset"}` });
        return value ?? "";
      default:
        if (!has)
          issues.push({
            path,
            message: `uses \${${name}}, which the app's environment does not define`,
          });
        return value ?? "";
    }
  }
}

/** Every string of a parsed document interpolated (values, not keys), in a new object. */
export function interpolateAll(
  v: unknown,
  env: Record<string, string>,
  path: string,
  issues: ComposeIssue[],
): unknown {
  if (typeof v === "string") return interpolate(v, env, path, issues);
  if (Array.isArray(v)) return v.map((x, i) => interpolateAll(x, env, `${path}[${i}]`, issues));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, {
        value: interpolateAll(x, env, path ? `${path}.${k}` : k, issues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return v;
}

/** Every `$` of every string doubled: what docker-compose reads back as the same text. */
export function escapeDollars(v: unknown): unknown {
  if (typeof v === "string") return v.replaceAll("$", () => "$$");
  if (Array.isArray(v)) return v.map(escapeDollars);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeDollars(x)]));
  return v;
}
