// The fleet's views (issue 17, docs/cms.md#fleet-views): which sites run an extension at which
// version, and what is outdated (core and extensions) across the sites the caller may read: the
// rows each site's refresh wrote (fleet-repo.ts), a page of an index walk per account or site
// the caller sees; and the refresh of a whole account (one cms.refresh-fleet task).

import type { cmsExtensionListQuery } from "@steward/contracts";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { cmsSites } from "../../access/policies/cms-sites.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { notFound } from "../../lib/errors.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import { taskCreator } from "../tasks/service.ts";
import { CMS_REFRESH_FLEET } from "./fleet-refresh.ts";
import * as fleet from "./fleet-repo.ts";

const toItem = (r: fleet.ExtensionRow, site: { name: string; url: string } | undefined) => ({
  id: r.id,
  accountId: r.account_id,
  siteId: r.site_id,
  siteName: site?.name ?? "",
  siteUrl: site?.url ?? "",
  type: r.type,
  slug: r.slug,
  name: r.name,
  version: r.version,
  update: r.update_version,
  active: Number(r.active) === 1,
  refreshedAt: new Date(Number(r.refreshed_at)).toISOString(),
  releasedAt: r.released_at === null ? null : new Date(Number(r.released_at)).toISOString(),
  abandoned: Number(r.abandoned) === 1,
});

export function createCmsFleet({ db, engine }: { db: Db; engine: Engine }) {
  return {
    /** Refreshes every site of the account the caller may refresh it in (one cms.refresh-fleet task). */
    async refreshAll(ctx: Ctx, accountId: string) {
      if (!cmsSites.canList(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
      enforce(ctx, cmsSites.canRefreshAll(ctx, accountId));
      const { task } = await engine.enqueue({
        kind: CMS_REFRESH_FLEET,
        payload: { accountId },
        accountId,
        priority: 3,
        createdBy: taskCreator(ctx),
        onSuccess: "disable",
      });
      return { taskId: task.id };
    },

    async extensions(ctx: Ctx, q: z.output<typeof cmsExtensionListQuery>) {
      if (q.account !== undefined && !cmsSites.canList(ctx, q.account).allowed)
        throw notFound(`account ${q.account}`);
      const rows = await fleet.listExtensions(db.db, cmsSites.extensionsScope(ctx), {
        account: q.account,
        slug: q.slug,
        outdated: q.outdated === undefined ? undefined : q.outdated === "true",
        abandoned: q.abandoned === undefined ? undefined : q.abandoned === "true",
        limit: q.limit,
        cursor: checkCursor(q.cursor),
      });
      const page = pageOf(rows, q.limit, (r) => r.id);
      const sites = await fleet.siteNames(
        db.db,
        page.items.map((r) => r.site_id),
      );
      return {
        items: page.items.map((r) => toItem(r, sites.get(r.site_id))),
        nextCursor: page.nextCursor,
      };
    },
  };
}
