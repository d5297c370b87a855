// site.migrate-layout: moves a site of the own layout (`<sitesRoot>/<id>`, its own user) into
// its account's layout (docs/sites.md, "Moving a site into its account's layout"):
//   stage     ask nginx what each served name answers now; copy the old home (without its
//             tmp/) into a root-only directory next to the new home, links copied as links,
//             then give every entry to the main user with group read and no group write
//             (the site's writable directories, `<root>/uploads/` by default, to the CGI
//             user's group, writable), and rename it into place
//   (apply)   site.apply with the account layout: nginx file and pool rewritten, tested,
//             reloaded, verified with a check file PHP must execute
//   verify    each name answers with the same status and content type as before
//   then      the old home is deleted (renamed aside first), only once all of that held
// Any failure before the end rolls back like site.apply (files byte for byte, services
// reloaded) and removes the copy: the site keeps serving from its old home.
import { randomBytes } from "node:crypto";
import { chmod, cp, lchown, lstat, mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { type SiteMigrateInput, siteWritableDirs } from "@steward/contracts/agent";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { accountUsers } from "./account.ts";
import { siteApply } from "./apply.ts";
import { mkdirInside, passwdEntry } from "./dirs.ts";
import { siteNames } from "./names.ts";
import { sitePaths } from "./paths.ts";
import { answerOf } from "./verify.ts";

type Site = SiteMigrateInput["site"];

/** What every served name answers (the site's own content, not a check file). */
async function answers(ctx: OpContext, site: Site) {
  const out = [];
  for (const name of siteNames(site).served)
    out.push({ name, ...(await answerOf(ctx.config, name, "/").catch(() => nullAnswer)) });
  return out;
}
const nullAnswer = { status: 0, contentType: null };

interface Owners {
  uid: number;
  gid: number;
  uploadsGid: number;
  /** the writable directories, relative to the copied home */
  writable: Set<string>;
}

/**
 * Gives a copied tree to its new owner: group reads everything, writes only the writable
 * directories (`rel`: `dir` relative to the copied home).
 */
async function own(dir: string, rel: string, o: Owners, uploads: boolean) {
  const { uid, gid, uploadsGid } = o;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    const inUploads = uploads || o.writable.has(join(rel, e.name));
    await lchown(path, uid, inUploads ? uploadsGid : gid);
    if (e.isSymbolicLink()) continue; // a link is never followed, nor changed beyond its owner
    const m = (await lstat(path)).mode & 0o700;
    const group = ((m & 0o400) >> 3) | ((m & 0o100) >> 3);
    if (e.isDirectory()) {
      await chmod(path, inUploads ? 0o2775 | m : 0o2000 | m | group | 0o010);
      await own(path, join(rel, e.name), o, inUploads);
    } else await chmod(path, inUploads ? m | 0o064 : m | group);
  }
}

export const siteMigrate: OpHandler<"site.migrate-layout"> = {
  name: "site.migrate-layout",
  services: ["nginx", "php-fpm"],
  async run(ctx, input) {
    const site = input.site;
    const main = site.account?.main;
    if (!main)
      throw new OpFailure("OP_INPUT_INVALID", "site.account: the layout to move to is missing");
    const from = sitePaths(ctx.config, site.id).home;
    const to = sitePaths(ctx.config, site.id, { main }).home;
    const before = await ctx.phase("stage", async () => {
      const old = await lstat(from).catch(() => null);
      const user = await passwdEntry(input.fromUser);
      if (!old?.isDirectory() || old.isSymbolicLink() || !user || old.uid !== user.uid)
        throw new OpFailure(
          "NOT_OWNER",
          `${from} is not the home of ${input.fromUser}: there is nothing of this site to move`,
        );
      const { owner, cgi } = await accountUsers(main);
      const accountHome = join(to, "..", "..");
      await mkdirInside(ctx, accountHome, "web", { uid: owner.uid, gid: owner.gid }, 0o2750);
      const there = await lstat(to).catch(() => null);
      if (there && (!there.isDirectory() || there.isSymbolicLink() || (await readdir(to)).length))
        throw new OpFailure("UNSAFE_PATH", `${to} exists already: move it away and try again`);
      const seen = await ctx.step("ask the site before the move", () => answers(ctx, site));
      // a directory only root enters: nobody can swap anything in it while it is made
      const staging = join(to, "..", `.steward-move-${randomBytes(6).toString("hex")}`);
      await mkdir(staging, { mode: 0o700 });
      ctx.onRollback(`remove ${staging}`, () => rm(staging, { recursive: true, force: true }));
      const copy = join(staging, "site");
      await ctx.step(`copy ${from} to ${to}`, async () => {
        await cp(from, copy, {
          recursive: true,
          verbatimSymlinks: true,
          preserveTimestamps: true,
          errorOnExist: true,
          filter: (src) => src !== join(from, "tmp"),
        });
        await lchown(copy, owner.uid, owner.gid);
        await chmod(copy, 0o2750);
        const writable = new Set(siteWritableDirs(site).map((d) => join(site.root, d)));
        await own(
          copy,
          "",
          { uid: owner.uid, gid: owner.gid, uploadsGid: cgi.gid, writable },
          false,
        );
      });
      if (there) await rmdir(to);
      await ctx.step(`move the copy to ${to}`, () => rename(copy, to));
      ctx.changed();
      ctx.onRollback(`take ${to} away again`, () => rm(to, { recursive: true, force: true }));
      return seen;
    });
    const applied = await siteApply.run(ctx, site);
    const after = await ctx.phase("verify", async () => {
      const seen = await ctx.step("ask the site after the move", () => answers(ctx, site));
      for (const [i, b] of before.entries()) {
        const a = seen[i];
        if (a && a.status === b.status && a.contentType === b.contentType) continue;
        throw new OpFailure(
          "VERIFY_FAILED",
          `${b.name} answered ${b.status} (${b.contentType ?? "no content type"}) before the move and ${a?.status ?? 0} (${a?.contentType ?? "no content type"}) after it: the site was moved back`,
        );
      }
      return seen;
    });
    // the site answers as before from its new home: only now does the old one go
    await ctx.step(`delete ${from}`, async () => {
      const aside = join(from, "..", `.removed-${randomBytes(6).toString("hex")}`);
      await rename(from, aside);
      await rm(aside, { recursive: true, force: true });
    });
    return { ...applied, movedFrom: from, before, after };
  },
};
