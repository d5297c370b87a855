// The shared validators. Every value that reaches SQL, a file, a template or an argv passes
// one of these first; server, agent, CLI and web import them from here and nowhere else.
import { z } from "zod";

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
