// Changing and removing a database server (issue 14): a new name at once; a new connection of
// an external server (host, port, admin, password, TLS) passes the outbound policy and is
// tested first, as a create (a failing test refuses it unless saveAnyway); a server goes only
// once Steward manages no database or user on it (409, in words). Both audited, the password
// never.
import type { ConnectionReport, DatabaseServerUpdate } from "@steward/contracts/databases";
import { connectionFields } from "@steward/contracts/databases";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Updateable } from "kysely";
import { databaseServers as policy } from "../../access/policies/database-servers.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { DatabaseServerTable } from "../../db/schema-databases.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { refuseFields } from "../../lib/outbound.ts";
import * as grants from "../grants/repo.ts";
import { mustConfirm } from "./items.ts";
import * as items from "./items-repo.ts";
import * as repo from "./repo.ts";

interface EditDeps {
  db: Db;
  secrets: Secrets;
  outbound: (accountId: string | null) => OutboundPolicy;
  test: (row: repo.ServerRow) => Promise<ConnectionReport>;
  mustFind: (ctx: Ctx, id: string, decide: typeof policy.canManage) => Promise<repo.ServerRow>;
}

/** "2 databases (shop, blog)": a few names, then how many more. */
function named(what: string, rows: { name: string }[]) {
  if (rows.length === 0) return [];
  const names = rows.slice(0, 5).map((r) => r.name);
  const more = rows.length > 5 ? `, ${rows.length - 5} more` : "";
  return [`${rows.length} ${what}${rows.length === 1 ? "" : "s"} (${names.join(", ")}${more})`];
}

export function serverEdits({ db, secrets, outbound, test, mustFind }: EditDeps) {
  const k = db.db;

  /** The row with the update's connection, checked as a create checks it. */
  async function connectionOf(row: repo.ServerRow, input: DatabaseServerUpdate) {
    const asked = connectionFields.find((f) => input[f] !== undefined);
    if (!asked) return null;
    if (row.placement !== "external")
      throw invalid(asked, "only applies to external servers (a node's own server has none)");
    const ca = input.tls?.ca === undefined ? row.tls_ca : input.tls.ca;
    const mode = input.tls?.mode ?? row.tls_mode;
    if (ca !== null && mode === "disable")
      throw invalid("tls.ca", "a CA needs require or verify-full");
    const host = input.host ?? row.host ?? "";
    const port = input.port ?? Number(row.port);
    const refused = await refuseFields(
      [{ field: input.host === undefined ? "port" : "host", url: [host, port] }],
      outbound(row.account_id),
    );
    if (refused) throw invalid(refused.field, refused.message);
    const set: Updateable<DatabaseServerTable> = {
      host,
      port,
      admin_user: input.adminUser ?? row.admin_user,
      tls_mode: mode,
      tls_ca: ca,
      ...(input.adminPassword === undefined
        ? {}
        : { admin_password_sealed: secrets.seal(input.adminPassword) }),
    };
    return { field: asked, set };
  }

  return {
    async update(ctx: Ctx, id: string, input: DatabaseServerUpdate) {
      const before = await mustFind(ctx, id, policy.canManage);
      const now = Date.now();
      const connection = await connectionOf(before, input);
      let report: ConnectionReport | null = null;
      const set: Updateable<DatabaseServerTable> = {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...connection?.set,
        updated_at: now,
      };
      if (connection) {
        report = await test({ ...before, ...set } as repo.ServerRow);
        if (!report.ok && !input.saveAnyway)
          throw invalid(
            connection.field === "adminPassword" || connection.field === "adminUser"
              ? connection.field
              : "host",
            `the connection test failed: ${report.problems.map((p) => p.message).join("; ")} (saveAnyway keeps the change anyway)`,
          );
        Object.assign(set, repo.testedSet(report, now));
      }
      await k.transaction().execute(async (trx) => {
        await repo.updateServer(trx, id, set);
        const after = await repo.findServer(trx, id);
        const sealed = input.adminPassword === undefined ? {} : { adminPassword: "(changed)" };
        await recordAudit(
          trx,
          ctx,
          changeOf(
            "database-server",
            id,
            "update",
            {
              before: repo.toServer(before),
              after: after ? { ...repo.toServer(after), ...sealed } : null,
            },
            before.account_id,
          ),
        );
      });
      const saved = await repo.findServer(k, id);
      if (!saved) throw notFound(`database server ${id}`);
      return { ...repo.toServer(saved), test: report };
    },

    /** Forgets the server (nothing on it is touched) once Steward manages nothing there. */
    async drop(ctx: Ctx, id: string, confirm: string) {
      const before = await mustFind(ctx, id, policy.canManage);
      mustConfirm(before.name, confirm);
      await k.transaction().execute(async (trx) => {
        const [databases, users] = await Promise.all([
          items.databaseNamesOn(trx, id),
          items.userNamesOn(trx, id),
        ]);
        const managed = [...named("database", databases), ...named("user", users)];
        if (managed.length)
          throw conflict(
            `Steward still manages ${managed.join(" and ")} on ${before.name}: delete them in Steward first. The server was not removed.`,
          );
        await repo.deleteServer(trx, id);
        await grants.deleteGrantsOnScope(trx, "resource", id);
        await recordAudit(
          trx,
          ctx,
          changeOf(
            "database-server",
            id,
            "delete",
            { before: repo.toServer(before) },
            before.account_id,
          ),
        );
      });
    },
  };
}
