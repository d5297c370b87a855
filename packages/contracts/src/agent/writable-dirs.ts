// The directories of a PHP site's document root its PHP may write (docs/sites.md, "Writable
// directories"). In the account layout PHP runs as the account's CGI user, which writes only
// these (and its temp dir); nginx runs no `.php` below any of them. The panel and the agent
// parse with the same schema, so a hostile name is refused on both sides of the wire.
import { z } from "zod";

export const MAX_WRITABLE_DIRS = 20;
/** What every site has unless told otherwise: `<root>/uploads/`. */
export const DEFAULT_WRITABLE_DIRS = ["uploads"];
/** Where WordPress puts its media: made writable when a WordPress site is linked to its site. */
export const WORDPRESS_UPLOADS = "wp-content/uploads";

/** Plain segments only: no leading `/`, no empty segment, no `\`, NUL, newline or space. */
export const writableDirPattern = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export const writableDir = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(
    writableDirPattern,
    "must be a directory of the document root like wp-content/uploads (letters, digits, . _ - and /, no leading /)",
  )
  .refine(
    (s) => s.split("/").every((seg) => seg !== "." && seg !== ".."),
    "must stay inside the document root (no . or .. segments)",
  );

/** A site's writable directories as the agent gets them: absent, the default. */
export const siteWritableDirs = (site: { writableDirs?: string[] | undefined }): string[] =>
  site.writableDirs ?? DEFAULT_WRITABLE_DIRS;

export const writableDirs = z
  .array(writableDir)
  .max(MAX_WRITABLE_DIRS, `must list at most ${MAX_WRITABLE_DIRS} directories`)
  .refine((dirs) => new Set(dirs).size === dirs.length, "must not repeat a directory")
  // PHP could swap what is inside a directory it writes while the agent makes the inner one
  .refine(
    (dirs) => !dirs.some((a) => dirs.some((b) => b.startsWith(`${a}/`))),
    "must not list a directory inside another (PHP writes there already)",
  );
