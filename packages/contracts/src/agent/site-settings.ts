// A site's directory protection (HTTP basic auth per path) and its PHP settings, as the panel
// stores them and the agent renders them (docs/sites.md). Both sides parse with these.
import { z } from "zod";
import { timeZone } from "../api/tasks.ts";

/**
 * A protected path: a URL path prefix inside the site, made only of plain segments (no `..`,
 * no `.`, nothing nginx reads as syntax: braces, `;`, quotes, `$`, spaces, `#`, `%`...). Not
 * `/` alone: the agent's verify step must still reach the site.
 */
export const protectedPathPattern = /^(\/[A-Za-z0-9_~@+,=-][A-Za-z0-9._~@+,=-]*)+\/?$/;
export const protectedPath = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(
    protectedPathPattern,
    "must be a path like /admin or /private/docs/ (letters, digits, . _ ~ @ + , = -; no .. or /. segments)",
  )
  .refine(
    (p) => p.split("/").every((s) => s !== "." && s !== ".."),
    "must not contain . or .. segments",
  );

/** A basic-auth user name: no `:` (the htpasswd separator), no spaces or controls. */
export const htUserPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const htUser = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(htUserPattern, "must be letters, digits, . _ @ and -, starting with a letter or digit");

/** A bcrypt hash as nginx's auth_basic_user_file reads it through the system's crypt(3). */
export const htHashPattern = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;
export const htHash = z.string().regex(htHashPattern, "must be a bcrypt hash");

export const MAX_PROTECTED_PATHS = 20;
export const MAX_PATH_USERS = 50;

const unique = (keys: string[]) => new Set(keys).size === keys.length;

/** One protected path as the agent gets it: users with their hashes only. */
export const protectedLocation = z.strictObject({
  path: protectedPath,
  users: z
    .array(z.strictObject({ name: htUser, hash: htHash }))
    .min(1, "must list at least one user")
    .max(MAX_PATH_USERS)
    .refine((users) => unique(users.map((u) => u.name)), "must not repeat a user"),
});
export type ProtectedLocation = z.infer<typeof protectedLocation>;

export const siteProtection = z
  .array(protectedLocation)
  .max(MAX_PROTECTED_PATHS, `must list at most ${MAX_PROTECTED_PATHS} paths`)
  .refine((locs) => unique(locs.map((l) => l.path)), "must not repeat a path");

/** A php.ini size: 512K, 128M, 2G (PHP's shorthand). */
const iniSize = z.string().regex(/^[1-9][0-9]{0,5}[KMG]$/, "must be a size like 512K, 128M or 2G");
const iniInt = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
/** A zone the platform's time zone database knows (canonical names and their aliases). */
const knownZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
const ianaZone = timeZone.refine(knownZone, "must be an IANA time zone like Europe/Paris");

/**
 * The php.ini values a site may set (its pool's php_admin_value / php_admin_flag): sizes,
 * numbers, flags and a time zone, each with its own validator. Anything else is refused.
 */
export const PHP_VALUES = {
  memory_limit: iniSize,
  upload_max_filesize: iniSize,
  post_max_size: iniSize,
  max_execution_time: iniInt(0, 86_400),
  max_input_time: iniInt(-1, 86_400),
  max_input_vars: iniInt(1, 1_000_000),
  max_file_uploads: iniInt(1, 10_000),
  default_socket_timeout: iniInt(1, 86_400),
  "session.gc_maxlifetime": iniInt(60, 31_536_000),
  "date.timezone": ianaZone,
} as const;
export const PHP_FLAGS = {
  display_errors: z.boolean(),
  display_startup_errors: z.boolean(),
  log_errors: z.boolean(),
  short_open_tag: z.boolean(),
  allow_url_fopen: z.boolean(),
  "zlib.output_compression": z.boolean(),
} as const;

export const phpSettings = z.strictObject({
  ...Object.fromEntries(Object.entries(PHP_VALUES).map(([k, v]) => [k, v.optional()])),
  ...Object.fromEntries(Object.entries(PHP_FLAGS).map(([k, v]) => [k, v.optional()])),
} as {
  [K in keyof typeof PHP_VALUES]: z.ZodOptional<(typeof PHP_VALUES)[K]>;
} & { [K in keyof typeof PHP_FLAGS]: z.ZodOptional<(typeof PHP_FLAGS)[K]> });
export type PhpSettings = z.infer<typeof phpSettings>;

/** Is this key a flag (php_admin_flag) rather than a value (php_admin_value)? */
export const isPhpFlag = (key: string): key is keyof typeof PHP_FLAGS => key in PHP_FLAGS;
