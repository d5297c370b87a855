// Database servers through the API and the CLI: each request authorized by the servers'
// policy, an external server's host and port checked by the outbound policy, its admin
// password sealed at rest (never answered, never audited), a connection test on create (a
// failing one refuses the create unless saveAnyway) and on demand.

import type {
  ConnectionReport,
  DatabaseServerCreate,
  databaseServerListQuery,
} from "@steward/contracts/databases";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { databaseServers as policy } from "../../access/policies/database-servers.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { requireAccount } from "../accounts/require.ts";
import { adoption } from "./adopt.ts";
import { testServer } from "./connect.ts";
import { serverEdits } from "./edit.ts";
import { type Execute, outboundOf } from "./executor.ts";
import * as repo from "./repo.ts";

export interface DatabasesDeps {
  db: Db;
  secrets: Secrets;
  settings: Pick<Settings, "listen" | "port" | "publicUrl" | "outboundAllow" | "outboundDeny">;
  /** the one executor of database actions (executor.ts) */
  execute: Execute;
}

/** What the audit keeps of a create: everything but the admin password. */
const audited = (input: DatabaseServerCreate) => {
  if (input.placement === "on-node") return input;
  const { adminPassword: _, ...rest } = input;
  return { ...rest, adminPassword: "(sealed)" };
};

export function createDatabasesService({ db, secrets, settings, execute }: DatabasesDeps) {
  const k = db.db;
  const outbound = outboundOf(settings);

  async function mustFind(ctx: Ctx, id: string, decide = policy.canRead) {
    const row = await repo.findServer(k, id);
    // not visible and not existing look the same
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`database server ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  const test = (row: repo.ServerRow) => testServer(execute, row);

  return {
    /** what exists on a server, and adopting it (adopt.ts) */
    ...adoption({ db, execute }),
    /** a new name or connection, and removing a server (edit.ts) */
    ...serverEdits({ db, secrets, outbound, test, mustFind }),

    async list(
      ctx: Ctx,
      f: z.infer<typeof databaseServerListQuery> & { limit: number; cursor?: string },
    ) {
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      return repo.listServers(k, scope, { ...f, walk: repo.serverOrder(f.sort, f.cursor) });
    },

    get: async (ctx: Ctx, id: string) => repo.toServer(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: DatabaseServerCreate) {
      if (input.accountId === null) enforce(ctx, policy.canCreateShared(ctx));
      else {
        enforce(ctx, policy.canCreateIn(ctx, input.accountId));
        await requireAccount(k, input.accountId, "accountId");
      }
      if (input.placement === "external") {
        const refused = await refuseFields(
          [{ field: "host", url: [input.host, input.port] }],
          outbound(input.accountId),
        );
        if (refused) throw invalid(refused.field, refused.message);
      }
      const now = Date.now();
      const row: repo.NewServer = {
        id: newId("dbs"),
        account_id: input.accountId,
        name: input.name,
        engine: input.engine,
        placement: input.placement,
        created_at: now,
        updated_at: now,
        ...(input.placement === "on-node"
          ? { node_id: input.nodeId }
          : {
              host: input.host,
              port: input.port,
              admin_user: input.adminUser,
              admin_password_sealed: secrets.seal(input.adminPassword),
              tls_mode: input.tls.mode,
              tls_ca: input.tls.ca,
              via_node_id: input.viaNodeId,
            }),
      };
      const report = await test(row as repo.ServerRow);
      if (!report.ok && !input.saveAnyway)
        throw invalid(
          input.placement === "external" ? "host" : "nodeId",
          `the connection test failed: ${report.problems.map((p) => p.message).join("; ")} (saveAnyway keeps the server anyway)`,
        );
      await k.transaction().execute(async (trx) => {
        await repo.insertServer(trx, { ...row, ...repo.testedSet(report, now) });
        await recordAudit(
          trx,
          ctx,
          changeOf("database-server", row.id, "create", { after: audited(input) }, input.accountId),
        );
      });
      const saved = await repo.findServer(k, row.id);
      if (!saved) throw notFound(`database server ${row.id}`);
      return { ...repo.toServer(saved), test: report };
    },

    /** Tests the connection now; the report is kept on the server. */
    async test(ctx: Ctx, id: string): Promise<ConnectionReport> {
      const row = await mustFind(ctx, id, policy.canManage);
      const report = await test(row);
      await repo.updateServer(k, id, repo.testedSet(report, Date.now()));
      return report;
    },
  };
}
