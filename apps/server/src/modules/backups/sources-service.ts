// Backup sources through the API and the CLI: what a plan reads. A node's directory and MongoDB
// from a node are the installation's to define (nodes are shared by tenants); a database or all
// databases of a server are the account's, checked on creation through the databases module's
// executor (the databases it lists; a failing check refuses the source unless saveAnyway). A
// source only names things of its own account; another account's database looks missing.
// Steward itself (its database, master key and settings file) is a source for super users
// only, one per panel, read by the panel (no node): its runs call exportSteward (plans-self.ts).

import type {
  BackupSourceCreate,
  backupSourceListQuery,
  SourceCheck,
} from "@steward/contracts/backups";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { backups as policy } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccount } from "../accounts/require.ts";
import { ActionFailed, type Execute } from "../databases/executor.ts";
import { findDatabase } from "../databases/items-repo.ts";
import { findServer, type ServerRow } from "../databases/repo.ts";
import { checkNode } from "../nodes/usable.ts";
import { plansOfAccount } from "./plans-repo.ts";
import * as repo from "./sources-repo.ts";

export interface SourcesDeps {
  db: Db;
  secrets: Secrets;
  /** the databases module's one executor of database actions */
  execute: Execute;
}

/** The node that reads a database server: its own, or the one that reaches it (viaNodeId). */
export const readerNodeOf = (server: Pick<ServerRow, "placement" | "node_id" | "via_node_id">) =>
  server.placement === "on-node" ? server.node_id : server.via_node_id;

export function createSourcesService({ db, secrets, execute }: SourcesDeps) {
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string, decide = policy.canRead) {
    const row = await repo.findSource(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup source ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  /** The server a database or server source reads, of the source's own account. */
  async function serverOf(accountId: string, serverId: string, field: string) {
    const server = await findServer(k, serverId);
    // another account's server, or a shared one (its databases are several accounts')
    if (!server || server.account_id !== accountId)
      throw invalid(field, "no such database server in this account");
    const nodeId = readerNodeOf(server);
    if (nodeId === null)
      throw invalid(
        field,
        "the panel reaches this server itself: a backup runs on a node, so name the node that reaches it (viaNodeId) on the server first",
      );
    return { server, nodeId };
  }

  /** Lists the server's databases through its node (the check on creation). */
  async function check(server: ServerRow, database: string | null): Promise<SourceCheck> {
    const at = new Date().toISOString();
    try {
      const { databases } = await execute(server, { kind: "inventory" });
      const names = (databases ?? []).map((d) => d.name);
      const ok = database === null || names.includes(database);
      const message = ok ? null : `the server has no database ${database}`;
      return { ok, message, databases: names, at };
    } catch (error) {
      if (!(error instanceof ActionFailed)) throw error;
      return { ok: false, message: error.message.slice(0, 2000), databases: null, at };
    }
  }

  async function rowOf(input: BackupSourceCreate) {
    const s = input.source;
    const base = { node_id: null, database_id: null, server_id: null, secret_sealed: null };
    switch (s.kind) {
      case "files":
      case "mongodb": {
        const node = await checkNode(k, s.nodeId);
        if (node.problem) throw invalid("source.nodeId", node.problem.message);
        if (s.kind === "files")
          return {
            row: { ...base, node_id: s.nodeId, spec: { path: s.path, excludes: s.excludes } },
            check: null,
          };
        return {
          row: {
            ...base,
            node_id: s.nodeId,
            spec: { database: s.database },
            secret_sealed: secrets.seal(s.uri),
          },
          // no MongoDB runs here to ask; the first run says whether it connects
          check: null,
        };
      }
      case "database": {
        const database = await findDatabase(k, s.databaseId);
        if (!database || database.account_id !== input.accountId)
          throw invalid("source.databaseId", "no such database in this account");
        const { server, nodeId } = await serverOf(
          input.accountId,
          database.server_id,
          "source.databaseId",
        );
        return {
          row: {
            ...base,
            node_id: nodeId,
            database_id: database.id,
            server_id: server.id,
            spec: { engine: server.engine, database: database.name },
          },
          check: await check(server, database.name),
        };
      }
      case "steward": {
        const existing = await repo.findStewardSource(k);
        if (existing)
          throw conflict(
            `Steward's own backup is already a source (${existing.id}): one per panel`,
          );
        return { row: { ...base, spec: {} }, check: null };
      }
      case "server": {
        const { server, nodeId } = await serverOf(input.accountId, s.serverId, "source.serverId");
        return {
          row: {
            ...base,
            node_id: nodeId,
            server_id: server.id,
            spec: { engine: server.engine },
          },
          check: await check(server, null),
        };
      }
    }
  }

  return {
    async list(
      ctx: Ctx,
      f: z.infer<typeof backupSourceListQuery> & { limit: number; cursor?: string },
    ) {
      return repo.listSources(k, policy.listScope(ctx, "backup_sources"), {
        ...f,
        walk: repo.sourceOrder(f.sort, f.cursor),
      });
    },

    get: async (ctx: Ctx, id: string) => repo.toSource(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: BackupSourceCreate) {
      enforce(ctx, policy.canCreateIn(ctx, input.accountId));
      await requireAccount(k, input.accountId, "accountId");
      // a node's files or MongoDB, or the panel itself (its master key): the installation's
      if (["files", "mongodb", "steward"].includes(input.source.kind))
        enforce(ctx, policy.canReadNodes(ctx));
      const { row, check } = await rowOf(input);
      if (check && !check.ok && !input.saveAnyway)
        throw invalid(
          input.source.kind === "server" ? "source.serverId" : "source.databaseId",
          `the source's check failed: ${check.message} (saveAnyway keeps the source anyway)`,
        );
      const now = Date.now();
      const id = newId("bks");
      const { spec, ...columns } = row;
      await k.transaction().execute(async (trx) => {
        await repo.insertSource(trx, {
          ...columns,
          id,
          account_id: input.accountId,
          name: input.name,
          kind: input.source.kind,
          spec: JSON.stringify(spec),
          last_check: check ? JSON.stringify(check) : null,
          created_at: now,
          updated_at: now,
        });
        const after = { name: input.name, kind: input.source.kind, ...spec };
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-source", id, "create", { after }, input.accountId),
        );
      });
      const saved = await repo.findSource(k, id);
      if (!saved) throw notFound(`backup source ${id}`);
      return repo.toSource(saved);
    },

    async remove(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, policy.canManage);
      if (row.kind === "steward") enforce(ctx, policy.canReadNodes(ctx));
      const using = (await plansOfAccount(k, row.account_id)).filter((p) =>
        (JSON.parse(p.source_ids) as string[]).includes(id),
      );
      if (using.length > 0)
        throw conflict(
          `plans still back this source up: ${using.map((p) => p.name).join(", ")} (remove it from them first)`,
        );
      await k.transaction().execute(async (trx) => {
        await repo.deleteSource(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf(
            "backup-source",
            id,
            "delete",
            { before: { name: row.name, kind: row.kind } },
            row.account_id,
          ),
        );
      });
    },
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
