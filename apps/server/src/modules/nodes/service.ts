// Nodes: installation-wide infrastructure. Reading needs the read role globally, changing
// needs admin globally (super users have it). Enrollment itself is in enroll.ts.
import type { NodeUpdate, nodeCreate, nodeListQuery } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { type Decision, enforce } from "../../access/decision.ts";
import { nodes } from "../../access/policies/nodes.ts";
import type { Ctx } from "../../access/types.ts";
import { audited, changeOf, recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { msToIso } from "../../lib/sql.ts";
import type { PkiStore } from "../../pki/store.ts";
import type { InstallService } from "../install/service.ts";
import { createAgentUpgrade } from "./agent-upgrade.ts";
import { createEnroll } from "./enroll.ts";
import { createToken } from "./enrollments.ts";
import { METRICS_KEPT_MS, toPoint } from "./health.ts";
import { NODE_FACTS } from "./kinds.ts";
import * as repo from "./repo.ts";
import { factsOf, toNode, toSummary } from "./view.ts";

export interface NodesDeps {
  db: Db;
  pki: PkiStore;
  engine: Pick<Engine, "enqueue">;
  /** the panel's public URL, for the enrollment command */
  publicUrl: string;
  /** the installer and the agent's builds (modules/install) */
  install: Pick<InstallService, "has" | "installLine" | "pin" | "release" | "version">;
}

export function createNodesService(deps: NodesDeps) {
  const k = deps.db.db;

  async function mustFind(
    ctx: Ctx,
    id: string,
    decide: (ctx: Ctx) => Decision,
    db: Kysely<Database> = k,
  ) {
    enforce(ctx, decide(ctx));
    const row = await repo.findNode(db, id);
    if (!row) throw notFound(`node ${id}`);
    return row;
  }

  async function get(ctx: Ctx, id: string) {
    const row = await mustFind(ctx, id, nodes.canRead);
    const { version } = deps.install;
    // the build an upgrade would install: the node's architecture (x64 until its facts say)
    const agentUpgrade = {
      version,
      available: deps.install.has(version, factsOf(row)?.arch ?? "x64"),
    };
    return { ...toNode(row, (await repo.latestMetrics(k, [row.id])).get(row.id)), agentUpgrade };
  }

  return {
    async list(ctx: Ctx, f: z.infer<typeof nodeListQuery> & { limit: number; cursor?: string }) {
      enforce(ctx, nodes.canRead(ctx));
      const walk = repo.nodeOrder(f.sort, f.cursor);
      const rows = await repo.listNodes(k, { ...f, walk });
      const { items, nextCursor } = walk.page(rows, f.limit, (row) => row);
      const latest = await repo.latestMetrics(
        k,
        items.map((r) => r.id),
      );
      return { items: items.map((r) => toSummary(r, latest.get(r.id))), nextCursor };
    },

    get,

    /** The node's health over the last 24 hours, oldest first. */
    async metrics(ctx: Ctx, id: string) {
      const node = await mustFind(ctx, id, nodes.canRead);
      const rows = await repo.metricsOf(k, node.id, Date.now() - METRICS_KEPT_MS);
      return { nodeId: node.id, points: rows.map(toPoint) };
    },

    /** Asks the node's agent for its facts now (a node.facts task; one at a time per node). */
    async refreshFacts(ctx: Ctx, id: string) {
      const node = await mustFind(ctx, id, nodes.canManage);
      if (node.state === "pending" || node.state === "revoked")
        throw conflict(`node ${node.name} is ${node.state}: it has no agent to ask`, "state");
      return k.transaction().execute(async (trx) => {
        const made = await deps.engine.enqueue(
          { kind: NODE_FACTS, payload: { nodeId: node.id }, target: { type: "node", id: node.id } },
          trx,
        );
        await recordAudit(trx, ctx, changeOf("node", node.id, "facts", { taskId: made.task.id }));
        return { taskId: made.task.id };
      });
    },

    async create(ctx: Ctx, input: z.infer<typeof nodeCreate> & { local?: boolean }) {
      enforce(ctx, nodes.canManage(ctx));
      if (await repo.findByName(k, input.name))
        throw conflict(`a node named ${input.name} exists`, "name");
      const id = newId("node");
      await audited(k, ctx, changeOf("node", id, "create", { after: input }), (trx) =>
        repo.insertNode(trx, { id, ...input }),
      );
      return get(ctx, id);
    },

    /**
     * What the node's outbound targets may reach (super users only: it widens what every
     * tenant on the node can point a proxy at; applies from each site's next apply), and where
     * other nodes reach its DNS server (node admins; DNS secondaries).
     */
    async update(ctx: Ctx, id: string, input: NodeUpdate) {
      if (input.outbound) enforce(ctx, nodes.canConfigureOutbound(ctx));
      const node = await mustFind(ctx, id, nodes.canManage);
      const view = toNode(node);
      const outbound = input.outbound && {
        allowPrivate: input.outbound.allowPrivate ?? view.outbound.allowPrivate,
        allow: input.outbound.allow ? [...new Set(input.outbound.allow)] : view.outbound.allow,
      };
      const dnsAddress = input.dnsAddress;
      const before = {
        ...(outbound ? { outbound: view.outbound } : {}),
        ...(dnsAddress !== undefined ? { dnsAddress: view.dnsAddress } : {}),
      };
      const after = {
        ...(outbound ? { outbound } : {}),
        ...(dnsAddress !== undefined ? { dnsAddress } : {}),
      };
      await audited(k, ctx, changeOf("node", node.id, "update", { before, after }), async (trx) => {
        if (outbound) await repo.setOutbound(trx, node.id, outbound);
        if (dnsAddress !== undefined) await repo.setDnsAddress(trx, node.id, dnsAddress);
      });
      return get(ctx, node.id);
    },

    /** A single-use enrollment token (15 minutes) and the command that uses it. */
    async enrollmentToken(ctx: Ctx, id: string) {
      const node = await mustFind(ctx, id, nodes.canManage);
      if (node.state === "revoked")
        throw conflict(
          `node ${node.name} is revoked and cannot be enrolled again; add the server as a new node`,
          "state",
        );
      const made = await k.transaction().execute(async (trx) => {
        const t = await createToken(trx, node.id, ctx.actor?.userId ?? null);
        await recordAudit(
          trx,
          ctx,
          changeOf("node", node.id, "token", { expiresAt: msToIso(t.expiresAt) }),
        );
        return t;
      });
      return {
        token: made.token,
        expiresAt: msToIso(made.expiresAt),
        command: `steward agent enroll --panel ${deps.publicUrl} --token ${made.token}`,
        installCommand: deps.install.installLine(made.token),
        panelPin: deps.install.pin(),
      };
    },

    /** Revoked at once: the panel refuses to talk to it, whatever it presents. */
    async revoke(ctx: Ctx, id: string) {
      const node = await mustFind(ctx, id, nodes.canManage);
      await k.transaction().execute(async (trx) => {
        if (!(await repo.revokeNode(trx, node.id))) return;
        await repo.dropUnusedEnrollments(trx, node.id);
        await recordAudit(
          trx,
          ctx,
          changeOf("node", node.id, "revoke", {
            state: { from: node.state, to: "revoked" },
            fingerprint: node.cert_fingerprint,
          }),
        );
      });
      return get(ctx, node.id);
    },

    enroll: createEnroll(deps),

    upgradeAgent: createAgentUpgrade(deps),
  };
}

export type NodesService = ReturnType<typeof createNodesService>;
