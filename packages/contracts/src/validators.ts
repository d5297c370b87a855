// The shared validators. Every value that reaches SQL, a file, a template or an argv passes
// one of these first; server, agent, CLI and web import them from here and nowhere else. The
// agent checks again right before a value becomes a file or an argv (its second wall), with
// the patterns exported here (idPattern, isDnsName, systemUserPattern), never its own.
import { z } from "zod";
import { parseTarget } from "./net/target.ts";

/**
 * Rejects, anywhere in a string: control characters (C0, DEL, C1: newlines, NUL, escape...),
 * the line and paragraph separators U+2028/U+2029 (newlines to JavaScript and to many log
 * viewers), and the bidirectional controls (U+061C, U+200E/U+200F, U+202A-U+202E,
 * U+2066-U+2069) that make a name display in another order than it is stored ("Trojan
 * Source": `evil\u202Egnp.exe` shows as `evilexe.png`).
 */
const unsafeChars =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
export const noControl = (s: string) => !unsafeChars.test(s);
const noControlMessage =
  "must not contain control characters, newlines, line separators or bidirectional controls";

/** A short human label: display names of users, accounts, groups, API keys. */
export const label = (max = 100) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, noControlMessage);

/** A machine name: lowercase letters, digits and dashes, starting with a letter. */
export const slug = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(
    /^[a-z][a-z0-9-]*$/,
    "must be lowercase letters, digits and dashes, starting with a letter",
  );

export const email = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .refine(noControl, noControlMessage)
  .pipe(z.email("must be a valid email address"))
  .transform((s) => s.toLowerCase());

export const password = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes");

/** An identifier: 1-64 letters, digits, dashes and underscores. The one id rule. */
export const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Identifiers are opaque: letters, digits, dash and underscore only. */
export const id = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(idPattern, "must be an identifier (letters, digits, - and _)");

export const port = z.coerce
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

/** Free text in filters and descriptions: bounded, no control characters. */
export const text = (max = 200) =>
  z.string().max(max, `must be at most ${max} characters`).refine(noControl, noControlMessage);

/** An ISO-8601 timestamp with a time zone, as accepted in filters. */
export const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time" });

const dnsName = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** A site's host name in ASCII form, as `domain` leaves it: the DNS rule, not all digits. */
export const isDnsName = (s: string) => dnsName.test(s) && !/^[0-9.]+$/.test(s);
const domainMessage =
  "must be a domain name like example.com (letters, digits, dashes and dots; no scheme, port or path)";
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
const isAscii = (s: string) => /^[\u0000-\u007f]*$/.test(s);

/**
 * An internationalised name to its ASCII (A-label) form by UTS #46 as the URL Standard does
 * it (non-transitional: ß and ς stay themselves; CheckBidi and CheckJoiners on), through
 * `URL`, which implements it the same way in Node and in browsers. Refused when it cannot be
 * converted or would silently become another plain name: each label typed with non-ASCII
 * characters must become an `xn--` label and an ASCII label must stay itself, so a
 * look-alike (the Kelvin sign K, fullwidth letters, an ideographic dot) never turns into a
 * different plain name. ASCII input is only lowercased.
 */
export function domainToAscii(input: string): { ascii: string } | { error: string } {
  if (!noControl(input)) return { error: domainMessage };
  if (isAscii(input)) return { ascii: input.replace(/[A-Z]/g, (c) => c.toLowerCase()) };
  // nothing URL syntax could read as a port, a path or credentials
  if (/[\s/\\?#@:%[\]]/.test(input)) return { error: domainMessage };
  let ascii: string;
  try {
    ascii = new URL(`http://${input}/`).hostname;
  } catch {
    return { error: "is not a valid internationalised domain name" };
  }
  const typed = input.split(".");
  const made = ascii.split(".");
  const silent =
    typed.length !== made.length ||
    typed.some((label, i) => {
      const out = made[i] as string;
      return isAscii(label) ? out !== label.toLowerCase() : !out.startsWith("xn--");
    });
  if (silent)
    return {
      error: `turns into ${ascii} under IDNA mapping, not an internationalised name: type ${ascii} if you mean it`,
    };
  return { ascii };
}

/**
 * A DNS host name as a site answers to: lowercase labels of letters, digits and inner
 * dashes, 1-63 characters each, 253 in all, at least two labels; no scheme, port, path,
 * wildcard, leading dot or dash, or anything a config file or a shell could read as syntax.
 * An internationalised name (bücher.example) is accepted and becomes its ASCII form
 * (xn--bcher-kva.example, see domainToAscii); one that would silently map to another plain
 * name (\u212Aelvin.com, with a Kelvin sign, to kelvin.com) is refused.
 */
export const domain = z
  .string()
  .max(253, "must be at most 253 characters")
  .transform((s, ctx) => {
    const r = domainToAscii(s);
    if ("ascii" in r) return r.ascii;
    ctx.addIssue({ code: "custom", message: r.error });
    return z.NEVER;
  })
  .refine(isDnsName, domainMessage);

/**
 * A system user or group name as a node may already have it (useradd's rules,
 * conservatively): lowercase letters, digits, - and _, 32 at most, not starting with a digit
 * or dash (`www-data`, `nginx`, `_nginx`). The agent's configuration and its rendering use it.
 */
export const systemUserPattern = /^[a-z_][a-z0-9_-]{0,31}$/;

/** A system user Steward creates for a site: the pattern above, starting with a letter. */
export const systemUser = z
  .string()
  .min(1, "must not be empty")
  .max(32, "must be at most 32 characters")
  .regex(systemUserPattern, "must be lowercase letters, digits, - and _, starting with a letter")
  .refine(
    (s) => /^[a-z]/.test(s),
    "must be lowercase letters, digits, - and _, starting with a letter",
  );

/**
 * A path relative to a home directory: segments of safe characters, no "..", no leading
 * slash, no empty segment. It can never point outside the directory it is joined to.
 */
export const relativePath = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
    "must be a relative path like public or web/public",
  )
  .refine(
    (s) => s.split("/").every((seg) => seg !== "." && seg !== ".."),
    "must stay inside the site's home (no . or .. segments)",
  );

/**
 * An upstream for a reverse proxy: http(s)://host:port with nothing else, the host a name or
 * an IP literal in canonical form (never 2130706433, 0x7f.1 or 0177.0.0.1). Whether the
 * target is allowed is the outbound policy's decision (net/policy.ts), not this validator's.
 */
export const upstream = z
  .string()
  .max(300, "must be at most 300 characters")
  .superRefine((s, ctx) => {
    const t = parseTarget(s);
    if (typeof t === "string") ctx.addIssue({ code: "custom", message: t });
  });

/** The URL a node's agent listens on: https://host:port. */
export const agentUrl = z
  .string()
  .max(300, "must be at most 300 characters")
  .regex(/^https:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/, "must be https://host:port");
