// A site's directory protection and PHP settings: read with the site, changed like any of its
// fields (admin on the site; the row's version moves and the site's apply task is enqueued in
// the change's transaction, so the node gets them with the rest of the site).
import type { SitePhpInput, SiteProtectionInput, SiteProtectionView } from "@steward/contracts";
import type { ProtectedLocation } from "@steward/contracts/agent";
import bcrypt from "bcryptjs";
import type { Kysely } from "kysely";
import type { Decision } from "../../access/decision.ts";
import { type SiteRef, sites } from "../../access/policies/sites.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import type * as repo from "./repo.ts";
import { phpSettingsOf, protectionOf, setPhpSettings, setProtection } from "./settings-repo.ts";

/**
 * bcrypt's cost: 2^10 rounds (about 175 ms a password on a loaded 2-core machine); htpasswd
 * -B's default, 5, is 32 times cheaper to guess.
 */
export const BCRYPT_COST = 10;

interface SiteChanges {
  find(
    ctx: Ctx,
    id: string,
    decide?: (ctx: Ctx, site: SiteRef) => Decision,
  ): Promise<repo.SiteRecord>;
  change(
    ctx: Ctx,
    id: string,
    action: string,
    set: Partial<repo.SiteRow>,
    diff: unknown,
    names: undefined,
    also: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<{ taskId: string }>;
}

const viewOf = (paths: ProtectedLocation[]): SiteProtectionView => ({
  paths: paths.map((p) => ({ path: p.path, users: p.users.map((u) => u.name) })),
});

export function siteSettings(k: Kysely<Database>, { find, change }: SiteChanges) {
  const status = (row: repo.SiteRow): repo.SiteRow["status"] =>
    Number(row.suspended) ? "suspended" : "pending";
  return {
    async protection(ctx: Ctx, id: string) {
      await find(ctx, id);
      return viewOf(await protectionOf(k, id));
    },

    /**
     * Replaces the site's protected paths. A new password is hashed here (bcrypt); a user
     * named without one keeps the hash they have on that path, and a new user must have one.
     */
    async setProtection(ctx: Ctx, id: string, input: SiteProtectionInput) {
      const before = await find(ctx, id, sites.canManage);
      if (before.kind === "proxy" && input.paths.length)
        throw invalid("paths", "directory protection is only for static and PHP sites");
      const old = await protectionOf(k, id);
      const hashOf = (path: string, name: string) =>
        old.find((p) => p.path === path)?.users.find((u) => u.name === name)?.hash;
      const paths: ProtectedLocation[] = [];
      for (const [i, p] of input.paths.entries()) {
        const users = [];
        for (const [j, u] of p.users.entries()) {
          const hash = u.password
            ? await bcrypt.hash(u.password, BCRYPT_COST)
            : hashOf(p.path, u.name);
          if (!hash)
            throw invalid(
              `paths.${i}.users.${j}.password`,
              `is required for the new user ${u.name}`,
            );
          users.push({ name: u.name, hash });
        }
        paths.push({ path: p.path, users });
      }
      const view = viewOf(paths);
      const { taskId } = await change(
        ctx,
        id,
        "site.protection",
        { status: status(before) },
        { before: viewOf(old), after: view },
        undefined,
        (trx) => setProtection(trx, id, paths),
      );
      return { ...view, taskId };
    },

    async php(ctx: Ctx, id: string) {
      await find(ctx, id);
      return { settings: await phpSettingsOf(k, id) };
    },

    /** Replaces the site's php.ini values (PHP sites only). */
    async setPhp(ctx: Ctx, id: string, input: SitePhpInput) {
      const before = await find(ctx, id, sites.canManage);
      if (before.kind !== "php") throw invalid("kind", "PHP settings are only for PHP sites");
      const old = await phpSettingsOf(k, id);
      const { taskId } = await change(
        ctx,
        id,
        "site.php",
        { status: status(before) },
        { before: old, after: input.settings },
        undefined,
        (trx) => setPhpSettings(trx, id, input.settings),
      );
      return { settings: input.settings, taskId };
    },
  };
}
