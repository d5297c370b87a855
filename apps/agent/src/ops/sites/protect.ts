// Directory protection: HTTP basic auth on path prefixes of a site. Each protected path gets
// an htpasswd file of its own (user:bcrypt-hash lines, the panel hashed the passwords) in
// <sitesRoot>/.steward/auth/<id>/, root's, readable by nginx's group only (0640): outside the
// site's home, so neither the site's user nor its PHP can read or change it. The nginx side is
// a location per path in the site's server block (render.ts).
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ProtectedLocation } from "@steward/contracts/agent";
import type { OpContext } from "../types.ts";
import { safe } from "./escape.ts";
import type { SitePaths } from "./paths.ts";

/** The realm browsers show; constant text, never a tenant's value. */
export const AUTH_REALM = "Restricted area";

/** The htpasswd file of the site's n-th protected path. */
export const htpasswdFile = (authDir: string, n: number) =>
  safe("path", join(authDir, `${n}.htpasswd`));

/** An htpasswd file's text: every name and hash passes its alphabet (no `:`, no newline). */
export function renderHtpasswd(loc: ProtectedLocation): string {
  return loc.users.map((u) => `${safe("htUser", u.name)}:${safe("htHash", u.hash)}\n`).join("");
}

/** The two lines that close a location to anyone without a user of its file. */
export function authLines(authDir: string, n: number, indent: string): string[] {
  return [
    `${indent}auth_basic "${AUTH_REALM}";`,
    `${indent}auth_basic_user_file ${htpasswdFile(authDir, n)};`,
  ];
}

/**
 * Writes the files of the protected paths (rendered with the rest, before anything is
 * staged; only those that differ) and removes the files of paths no longer protected; every
 * change is journaled, so a rollback restores them. nginx reads a file at each request: a
 * changed password needs no reload.
 */
export async function stageProtection(
  ctx: OpContext,
  paths: SitePaths,
  htpasswd: string[],
  nginxGid: number,
): Promise<void> {
  const files = htpasswd.map((text, n) => ({ file: htpasswdFile(paths.authDir, n), text }));
  if (files.length) {
    await ctx.mkdir(join(paths.pagesDir, "auth"), { mode: 0o711, uid: 0, gid: 0 });
    await ctx.mkdir(paths.authDir, { mode: 0o750, uid: 0, gid: nginxGid });
    for (const f of files)
      await ctx.writeFile(f.file, f.text, { mode: 0o640, uid: 0, gid: nginxGid });
  }
  await removeHtpasswd(ctx, paths.authDir, new Set(files.map((f) => f.file)));
}

/** Removes the site's htpasswd files but those kept (all of them when the site goes). */
export async function removeHtpasswd(ctx: OpContext, authDir: string, keep = new Set<string>()) {
  const present = await readdir(authDir).catch(() => [] as string[]);
  for (const name of present) {
    if (!/^[0-9]+\.htpasswd$/.test(name)) continue;
    const file = join(authDir, name);
    if (!keep.has(file)) await ctx.removeFile(file);
  }
}

/**
 * A location per protected path with basic auth and the site's own handling inside it. PHP's
 * locations are nested in it: nginx tries the regular expressions nested in the longest
 * matching prefix before the server's, so /admin/x.php runs only after the credentials are
 * checked (a server-level PHP location alone would answer it without asking).
 */
export function protectedLocations(
  protection: ProtectedLocation[],
  authDir: string,
  inner: string[],
): string[] {
  return protection.flatMap((loc, n) => [
    `    location ${safe("location", loc.path)} {`,
    ...authLines(authDir, n, "        "),
    ...inner,
    "    }",
  ]);
}
