// site.remove: take a website off this node.
//   stage     remove the nginx file, the PHP-FPM pool and the certificate's key and chain
//             (kept for rollback); without keepFiles, move the home and the logs aside (a
//             rename, undone on rollback)
//   test      nginx -t, php-fpm -t
//   activate  reload nginx (wait for the new workers) and PHP-FPM, when they run
//   verify    the site's names no longer answer as the site (read back from its old file)
// Only then are the moved-aside files deleted: nothing irreversible happens before the node
// is known to be fine without the site. The system user is left alone (others may use it).
import { randomBytes } from "node:crypto";
import { lstat, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { readIfExists } from "../../system/files.ts";
import { isRunning, reloadService, serviceSpec, testConfig } from "../../system/service.ts";
import { certPaths } from "../certs/paths.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { passwdEntry } from "./dirs.ts";
import { type CheckFile, expectations, placeCheckFile } from "./expect.ts";
import { loadNginx, reloadOnRollback } from "./nginx.ts";
import { sitePaths } from "./paths.ts";
import { dropOtherPools } from "./php-version.ts";
import { removeHtpasswd } from "./protect.ts";
import { readRendered } from "./render.ts";
import { verifyAnswers } from "./verify.ts";

export const siteRemove: OpHandler<"site.remove"> = {
  name: "site.remove",
  services: ["nginx", "php-fpm"],
  async run(ctx, input) {
    const paths = sitePaths(ctx.config, input.id, input.account);
    const old = await ctx.step("read the site's configuration", async () => {
      const text = await readIfExists(paths.configFile);
      return text ? readRendered(text.toString("utf8")) : null;
    });
    const staged = await ctx.phase("stage", async () => {
      const aside = input.keepFiles
        ? []
        : await moveAside(ctx, input.user, [paths.home, paths.logDir]);
      const nginx = await ctx.removeFile(paths.configFile);
      // its pool, whichever PHP-FPM version it was in
      const poolOf = (p: OpContext) => sitePaths(p.config, input.id).poolFile;
      const php = await dropOtherPools(ctx, null, poolOf);
      await removeHtpasswd(ctx, paths.authDir);
      // the key never outlives its site (the directory goes once the node is fine without it)
      const cert = certPaths(ctx.config, input.id);
      for (const file of [cert.key, cert.chain, cert.nextKey]) await ctx.removeFile(file);
      return { nginx, php, aside };
    });
    await ctx.phase("test", async () => {
      if (staged.nginx) await testConfig(ctx, "nginx");
      for (const p of staged.php) await testConfig(p, "php-fpm");
    });
    const nginxUp = await isRunning(ctx.config, serviceSpec(ctx.config, "nginx"));
    let check: CheckFile | null = null;
    try {
      await ctx.phase("activate", async () => {
        // asked for while the site still serves it: afterwards it must not be served
        if (old?.root && nginxUp && !old.suspended && old.kind !== "proxy" && input.keepFiles)
          check = await ctx.step("place a check file", () =>
            // a document root its user deleted only means there is nothing to check
            placeCheckFile(old.root as string, old.kind === "php").catch(() => null),
          );
        if (staged.nginx && nginxUp) {
          await reloadOnRollback(ctx, "nginx");
          await loadNginx(ctx);
        }
        for (const p of staged.php)
          if (await isRunning(p.config, serviceSpec(p.config, "php-fpm"))) {
            await reloadOnRollback(p, "php-fpm");
            await reloadService(p, "php-fpm");
          }
      });
      await ctx.phase("verify", async () => {
        if (!old || !nginxUp) return;
        const list = expectations(old, check).filter((e) => e.is !== "upstream");
        await verifyAnswers(ctx, list, "absent");
      });
    } finally {
      await (check as CheckFile | null)?.remove();
    }
    await rm(certPaths(ctx.config, input.id).dir, { recursive: true, force: true });
    if (staged.aside.length > 0)
      await ctx.step("delete the site's files", async () => {
        for (const dir of staged.aside)
          await rm(dir, { recursive: true, force: true }).catch((e: Error) =>
            ctx.log("warn", `could not delete ${dir} completely: ${e.message}`),
          );
      });
    return {};
  },
};

/**
 * Renames each existing directory to a hidden name next to it, so deleting it later cannot
 * fail halfway through a live change. The home must belong to the site's user: the agent
 * never deletes a directory someone else owns.
 */
async function moveAside(ctx: OpContext, user: string, dirs: string[]): Promise<string[]> {
  const u = await passwdEntry(user);
  const moved: string[] = [];
  for (const [i, dir] of dirs.entries()) {
    const s = await lstat(dir).catch(() => null);
    if (!s) continue;
    if (s.isSymbolicLink() || !s.isDirectory())
      throw new OpFailure("UNSAFE_PATH", `${dir} is not a directory; it was left as it is`);
    if (i === 0 && s.uid !== u?.uid)
      throw new OpFailure(
        "NOT_OWNER",
        `${dir} does not belong to ${user}: its files were not deleted (check the user, or keep the files)`,
      );
    const to = join(dir, "..", `.removed-${randomBytes(6).toString("hex")}`);
    await ctx.step(`move ${dir} aside`, () => rename(dir, to));
    ctx.changed();
    ctx.onRollback(`put back ${dir}`, () => rename(to, dir));
    moved.push(to);
  }
  return moved;
}
