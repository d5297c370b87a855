// The account layout of a site (docs/hosting.md, docs/sites.md): its files in its account's
// main user's home, its PHP run by the account's CGI user, which reads them and cannot write
// them. sysusers.apply made both users (the CGI user in the main user's group, nginx's user
// too) and the home (`<homeRoot>/<main>/home`, main's, 2750); this adds the site in it:
//   web/<id>/              main:main 2750    the site's home (open_basedir)
//   web/<id>/<root>/       main:main 2750    the document root: PHP reads it, cannot write it
//   <root>/<writable dir>/ main:<main>-cgi 2775  written by PHP; nginx runs no PHP below it
//                                           (writableDirs, `uploads` by default: writable.ts)
//   web/<id>/tmp/          <main>-cgi 0700   PHP's temp files, uploads in flight, sessions
// The agent never follows a link in the home (mkdirInside) and only sets owners and modes on
// directories it creates, and on existing writable directories through a descriptor that
// proves no link was followed (setDirOwner).
import { lstat } from "node:fs/promises";
import { join, relative } from "node:path";
import { type SiteApplyInput, siteWritableDirs } from "@steward/contracts/agent";
import { CGI_SUFFIX } from "@steward/contracts/hosting";
import { type OpContext, OpFailure } from "../types.ts";
import { mkdirInside, type Owner, passwdEntry } from "./dirs.ts";
import { checkWritable, stageWritable } from "./writable.ts";

/** A user Steward made for this account (sysusers.apply marks them `steward/<main>`). */
async function accountUser(name: string, main: string) {
  const u = await passwdEntry(name);
  if (!u || u.gecos !== `steward/${main}` || u.uid === 0 || u.gid === 0)
    throw new OpFailure(
      "USER_NOT_ALLOWED",
      `${name} is not a system user of this account on this node: apply the account's system users first`,
    );
  return u;
}

/** The users of an account layout site: the files' owner and the PHP's. */
export async function accountUsers(main: string) {
  const owner = await accountUser(main, main);
  const cgi = await accountUser(`${main}${CGI_SUFFIX}`, main);
  return { owner, cgi };
}

/**
 * Makes the site's directories in the main user's home; answers the files' owner (the main
 * user) and whether the document root was just made. `writableBefore`: the writable
 * directories of the site's last apply (those left out lose their group write).
 */
export async function stageAccountHome(
  ctx: OpContext,
  site: SiteApplyInput & { account: { main: string } },
  home: string,
  writableBefore: string[],
): Promise<{ own: Owner; fresh: boolean }> {
  const { owner, cgi } = await accountUsers(site.account.main);
  const accountHome = join(home, "..", "..");
  const s = await lstat(accountHome).catch(() => null);
  if (!s?.isDirectory() || s.isSymbolicLink() || s.uid !== owner.uid)
    throw new OpFailure(
      "UNSAFE_PATH",
      `${accountHome} is not ${site.account.main}'s home directory: apply the account's system users first`,
    );
  // a link in a writable directory's way is refused before anything is made
  if (site.kind === "php") await checkWritable(home, site.root, siteWritableDirs(site), owner.uid);
  const own = { uid: owner.uid, gid: owner.gid };
  await mkdirInside(ctx, accountHome, relative(accountHome, home), own, 0o2750);
  const fresh = await mkdirInside(ctx, home, site.root, own, 0o2750);
  if (site.kind === "php") {
    await mkdirInside(ctx, home, "tmp", { uid: cgi.uid, gid: cgi.gid }, 0o700);
    const dirs = { root: site.root, dirs: siteWritableDirs(site), before: writableBefore };
    const writable = { uid: owner.uid, gid: cgi.gid };
    await stageWritable(ctx, accountHome, home, dirs, { own, writable });
  }
  return { own, fresh };
}
