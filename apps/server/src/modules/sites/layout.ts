// Where a site's files live and who runs its PHP (docs/sites.md#the-account-layout): a site of
// an account with a main system user on the site's node is made in the account layout (files
// the main user's, PHP as `<main>-cgi`); older sites move there by a task. And the PHP-FPM
// version of a PHP site, one of those its node reports.
import type { Site } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Decision } from "../../access/decision.ts";
import { type SiteRef, sites } from "../../access/policies/sites.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { conflict, invalid } from "../../lib/errors.ts";
import { findNode } from "../nodes/repo.ts";
import { factsOf } from "../nodes/view.ts";
import { usersOn } from "../system-users/repo.ts";
import { type SiteRecord, type SiteRow, updateSite } from "./repo.ts";

/** The account's main system user on the node once sysusers.apply made it there, else null. */
export async function mainUserOn(db: Kysely<Database>, accountId: string, nodeId: string) {
  const main = (await usersOn(db, accountId, nodeId)).find((u) => u.kind === "main");
  return main?.status === "applied" ? main.name : null;
}

/** What a new site's row says of its layout: the account's when it has a main user there. */
export async function layoutOfNewSite(db: Kysely<Database>, accountId: string, nodeId: string) {
  const main = await mainUserOn(db, accountId, nodeId);
  return main
    ? { layout: "account" as const, applied_layout: "account" as const, main_user: main }
    : {};
}

/** A PHP version the node reports having (its facts); 400 naming phpVersion otherwise. */
export async function checkPhpVersion(db: Kysely<Database>, nodeId: string, version: string) {
  const node = await findNode(db, nodeId);
  const php = node ? factsOf(node)?.php : undefined;
  if (!php)
    throw invalid(
      "phpVersion",
      `node ${node?.name ?? nodeId} has not reported its PHP versions yet: refresh its facts (POST /api/v1/nodes/${nodeId}/facts) and try again`,
    );
  if (!php.versions.includes(version))
    throw invalid(
      "phpVersion",
      `PHP ${version} is not installed on node ${node?.name ?? nodeId} (installed: ${php.versions.join(", ") || "none"})`,
    );
}

interface SiteChanges {
  find(ctx: Ctx, id: string, decide?: (ctx: Ctx, site: SiteRef) => Decision): Promise<SiteRecord>;
  change(
    ctx: Ctx,
    id: string,
    action: string,
    set: Partial<SiteRow>,
    diff: unknown,
  ): Promise<Site & { taskId: string }>;
}

export function siteLayout(db: Kysely<Database>, { find, change }: SiteChanges) {
  return {
    /**
     * Moves a site of the own layout into its account's: its next apply copies the files into
     * the main user's home, rewrites the pool for the CGI user, checks the site answers the
     * same and moves it back otherwise (site.migrate-layout on the node).
     */
    async migrateLayout(ctx: Ctx, id: string) {
      const before = await find(ctx, id, sites.canManage);
      if (before.status === "deleting" || Number(before.removing))
        throw conflict(`site ${id} is being deleted`);
      if (before.layout === "account")
        throw conflict(
          before.applied_layout === "account"
            ? `site ${before.primary_domain} is in its account's layout already`
            : `site ${before.primary_domain} is being moved already`,
          "layout",
        );
      const main = await mainUserOn(db, before.account_id, before.node_id);
      if (!main)
        throw conflict(
          `the site's account has no main system user on the site's node yet: create it first (POST /api/v1/system-users) and wait for it to be applied`,
          "layout",
        );
      const status = Number(before.suspended) ? ("suspended" as const) : ("pending" as const);
      return change(
        ctx,
        id,
        "site.migrate-layout",
        { layout: "account", main_user: main, status },
        { before: { layout: "site" }, after: { layout: "account", mainUser: main } },
      );
    },
  };
}

/**
 * A move the node refused and undid: the site keeps its own layout (asked again later, once
 * what the message says is fixed) and is as it was before, with the reason as its last error.
 */
export async function moveFailed(db: Kysely<Database>, row: SiteRow, message: string) {
  await updateSite(db, row.id, {
    layout: "site",
    main_user: null,
    status: Number(row.suspended) ? "suspended" : "active",
    last_error: message,
  });
}
