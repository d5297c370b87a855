// site.apply's stage phase: everything on disk, nothing live yet. Returns which services'
// files changed (those are tested and reloaded; the others are left alone).
import { lstat, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { SiteApplyInput } from "@steward/contracts/agent";
import { ensureUser } from "../../system/users.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { stageAccountHome } from "./account.ts";
import type { RenderedFiles } from "./apply.ts";
import { groupId, isEmptyDir, mkdirInside, type Owner, passwdEntry } from "./dirs.ts";
import { safe } from "./escape.ts";
import type { SitePaths } from "./paths.ts";
import { stageProtection } from "./protect.ts";
import { readRendered, SUSPENDED_PAGE } from "./render.ts";
import { SUSPENDED_MARKER } from "./verify.ts";

export const SUSPENDED_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Site suspended</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; text-align: center; padding: 4em 1em">
<h1>${SUSPENDED_MARKER}</h1>
<p>Please contact the site's owner or host.</p>
</body></html>
`;

/** A site's home: rwx for its user, search only for nginx's group, nothing for others. */
export const HOME_MODE = 0o710;

const welcome = (name: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name}</title></head>
<body><h1>${name}</h1><p>This site is ready: upload its files to replace this page.</p></body>
</html>
`;

export async function stageSite(
  ctx: OpContext,
  site: SiteApplyInput,
  paths: SitePaths,
  docRoot: string,
  files: RenderedFiles,
): Promise<{ nginx: boolean; php: boolean }> {
  const c = ctx.config;
  // the writable directories of the last apply, as its nginx file names them
  const before =
    readRendered(await readFile(paths.configFile, "utf8").catch(() => ""))?.writable ?? [];
  const nginxGid = await groupId(c.nginx.group);
  if (nginxGid === null)
    throw new OpFailure(
      "CONFIG",
      `nginx's group ${c.nginx.group} does not exist on this node: set nginx.group in agent.json`,
    );
  const { own, fresh } = site.account
    ? await stageAccountHome(ctx, { ...site, account: site.account }, paths.home, before)
    : await stageOwnHome(ctx, site, paths, nginxGid);
  if (site.kind === "static" && (fresh || (await isEmptyDir(docRoot))))
    await ctx.writeFile(
      join(docRoot, "index.html"),
      welcome(safe("domain", site.domains[0] ?? "")),
      {
        mode: 0o644,
        ...own,
      },
    );
  await ctx.mkdir(join(c.logDir, "sites"), { mode: 0o711, uid: 0, gid: 0 });
  await ctx.mkdir(paths.logDir, { mode: 0o750, uid: 0, gid: own.gid });
  if (site.suspended) {
    await ctx.mkdir(paths.pagesDir, { mode: 0o755, uid: 0, gid: 0 });
    await ctx.writeFile(join(paths.pagesDir, SUSPENDED_PAGE), SUSPENDED_HTML, {
      mode: 0o644,
      uid: 0,
      gid: 0,
    });
  }
  // before the nginx file that names them: nginx -t does not read them, a request does
  await stageProtection(ctx, paths, files.htpasswd, nginxGid);
  const nginx = await ctx.writeFile(paths.configFile, files.nginx, { mode: 0o644, uid: 0, gid: 0 });
  const php = files.pool
    ? await ctx.writeFile(paths.poolFile, files.pool, { mode: 0o644, uid: 0, gid: 0 })
    : await ctx.removeFile(paths.poolFile);
  return { nginx, php };
}

/** The site's own user and home under the sites root (sites without the account layout). */
async function stageOwnHome(
  ctx: OpContext,
  site: SiteApplyInput,
  paths: SitePaths,
  nginxGid: number,
): Promise<{ own: Owner; fresh: boolean }> {
  const c = ctx.config;
  await checkUser(site.user, c.sitesRoot);
  // nobody lists the homes; nginx and each site's user go through to their own
  await ctx.mkdir(c.sitesRoot, { mode: 0o711, uid: 0, gid: 0 });
  const home = await lstat(paths.home).catch(() => null);
  if (home && (home.isSymbolicLink() || !home.isDirectory()))
    throw new OpFailure("UNSAFE_PATH", `${paths.home} exists and is not a directory`);
  // created before the user so a rollback removes it (and whatever useradd put in it)
  await ctx.mkdir(paths.home);
  const user = await ensureUser(ctx, site.user, paths.home);
  const own = { uid: user.uid, gid: user.gid };
  // the site's user only; nginx's group may go through to the document root but not list
  // the home; other sites' users get nothing. Applying again moves older homes to this mode.
  await ctx.mkdir(paths.home, { mode: HOME_MODE, uid: user.uid, gid: nginxGid });
  const fresh = await mkdirInside(ctx, paths.home, site.root, own, 0o755);
  if (site.kind === "php") await mkdirInside(ctx, paths.home, "tmp", own, 0o700);
  return { own, fresh };
}

/**
 * A site runs as its own user: an existing account is only used when it is a site account
 * (home under the sites root), so no site can be made to run as root, www-data, postgres...
 */
async function checkUser(name: string, sitesRoot: string) {
  const u = await passwdEntry(name);
  if (!u) return;
  const rel = relative(sitesRoot, u.home);
  if (u.uid === 0 || u.gid === 0 || rel === "" || rel.startsWith("..") || rel.startsWith("/"))
    throw new OpFailure(
      "USER_NOT_ALLOWED",
      `the system user ${name} exists and is not a site user (its home is ${u.home}, outside ${sitesRoot}): choose another user name`,
    );
}
