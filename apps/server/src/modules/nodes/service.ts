// Nodes: installation-wide infrastructure. Reading needs the read role globally, changing
// needs admin globally (super users have it). Enrollment itself is in enroll.ts.
import type { NodeUpdate, nodeCreate, nodeListQuery } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { authorize } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import { audited, recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { checkCursor, msToIso, pageOf } from "../../lib/sql.ts";
import type { PkiStore } from "../../pki/store.ts";
import type { TaskEngine } from "../../tasks/engine.ts";
import { createEnroll } from "./enroll.ts";
import { createToken } from "./enrollments.ts";
import * as repo from "./repo.ts";
import { toNode, toSummary } from "./view.ts";

export interface NodesDeps {
  db: Db;
  pki: PkiStore;
  tasks: Pick<TaskEngine, "enqueue">;
  /** the panel's public URL, for the enrollment command */
  publicUrl: string;
}

const GLOBAL = { kind: "global" } as const;

export function createNodesService(deps: NodesDeps) {
  const k = deps.db.db;

  async function mustFind(ctx: Ctx, id: string, role: "read" | "admin", db: Kysely<Database> = k) {
    authorize(ctx, GLOBAL, role);
    const row = await repo.findNode(db, id);
    if (!row) throw notFound(`node ${id}`);
    return row;
  }

  async function get(ctx: Ctx, id: string) {
    return toNode(await mustFind(ctx, id, "read"));
  }

  return {
    async list(ctx: Ctx, f: z.infer<typeof nodeListQuery> & { limit: number; cursor?: string }) {
      authorize(ctx, GLOBAL, "read");
      const rows = await repo.listNodes(k, { ...f, cursor: checkCursor(f.cursor) });
      return pageOf(rows.map(toSummary), f.limit, (n) => n.id);
    },

    get,

    async create(ctx: Ctx, input: z.infer<typeof nodeCreate> & { local?: boolean }) {
      authorize(ctx, GLOBAL, "admin");
      if (await repo.findByName(k, input.name))
        throw conflict(`a node named ${input.name} exists`, "name");
      const id = newId("node");
      await audited(
        k,
        ctx,
        {
          action: "node.create",
          targetType: "node",
          targetId: id,
          diff: { after: input },
        },
        (trx) => repo.insertNode(trx, { id, ...input }),
      );
      return get(ctx, id);
    },

    /**
     * What the node's outbound targets may reach (super users only: it widens what every
     * tenant on the node can point a proxy at). Applies from each site's next apply.
     */
    async update(ctx: Ctx, id: string, input: NodeUpdate) {
      authorize(ctx, { kind: "system" }, "system");
      const node = await mustFind(ctx, id, "admin");
      const before = toNode(node).outbound;
      const after = {
        allowPrivate: input.outbound.allowPrivate ?? before.allowPrivate,
        allow: input.outbound.allow ? [...new Set(input.outbound.allow)] : before.allow,
      };
      await audited(
        k,
        ctx,
        {
          action: "node.update",
          targetType: "node",
          targetId: node.id,
          diff: { before: { outbound: before }, after: { outbound: after } },
        },
        (trx) => repo.setOutbound(trx, node.id, after),
      );
      return get(ctx, node.id);
    },

    /** A single-use enrollment token (15 minutes) and the command that uses it. */
    async enrollmentToken(ctx: Ctx, id: string) {
      const node = await mustFind(ctx, id, "admin");
      if (node.state === "revoked")
        throw conflict(
          `node ${node.name} is revoked and cannot be enrolled again; add the server as a new node`,
          "state",
        );
      const made = await k.transaction().execute(async (trx) => {
        const t = await createToken(trx, node.id, ctx.actor?.userId ?? null);
        await recordAudit(trx, ctx, {
          action: "node.token",
          targetType: "node",
          targetId: node.id,
          diff: { expiresAt: msToIso(t.expiresAt) },
        });
        return t;
      });
      return {
        token: made.token,
        expiresAt: msToIso(made.expiresAt),
        command: `steward agent enroll --panel ${deps.publicUrl} --token ${made.token}`,
      };
    },

    /** Revoked at once: the panel refuses to talk to it, whatever it presents. */
    async revoke(ctx: Ctx, id: string) {
      const node = await mustFind(ctx, id, "admin");
      await k.transaction().execute(async (trx) => {
        if (!(await repo.revokeNode(trx, node.id))) return;
        await repo.dropUnusedEnrollments(trx, node.id);
        await recordAudit(trx, ctx, {
          action: "node.revoke",
          targetType: "node",
          targetId: node.id,
          diff: { state: { from: node.state, to: "revoked" }, fingerprint: node.cert_fingerprint },
        });
      });
      return get(ctx, node.id);
    },

    enroll: createEnroll(deps),
  };
}

export type NodesService = ReturnType<typeof createNodesService>;
