// The shared validators. Every value that reaches SQL, a file, a template or an argv passes
// one of these first; server, agent, CLI and web import them from here and nowhere else.
import { z } from "zod";
import { parseTarget } from "./net/target.ts";

/** Rejects control characters (newlines, NUL, escape...) anywhere in a string. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

/** A short human label: display names of users, accounts, groups, API keys. */
export const label = (max = 100) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, "must not contain control characters or newlines");

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
  .refine(noControl, "must not contain control characters or newlines")
  .pipe(z.email("must be a valid email address"))
  .transform((s) => s.toLowerCase());

export const password = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes");

/** Identifiers are opaque: letters, digits, dash and underscore only. */
export const id = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "must be an identifier (letters, digits, - and _)");

export const port = z.coerce
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

/** Free text in filters and descriptions: bounded, no control characters. */
export const text = (max = 200) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, "must not contain control characters or newlines");

/** An ISO-8601 timestamp with a time zone, as accepted in filters. */
export const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time" });

/**
 * A DNS host name as a site answers to: lowercase labels of letters, digits and inner
 * dashes, 1-63 characters each, 253 in all, at least two labels; no scheme, port, path,
 * wildcard, leading dot or dash, or anything a config file or a shell could read as syntax.
 */
export const domain = z
  .string()
  .max(253, "must be at most 253 characters")
  .transform((s) => s.toLowerCase())
  .refine(
    (s) =>
      /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/.test(s) &&
      !/^[0-9.]+$/.test(s),
    "must be a domain name like example.com (letters, digits, dashes and dots; no scheme, port or path)",
  );

/** A system user name (useradd's rules, conservatively): starts with a letter, 32 at most. */
export const systemUser = z
  .string()
  .min(1, "must not be empty")
  .max(32, "must be at most 32 characters")
  .regex(
    /^[a-z][a-z0-9_-]*$/,
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
