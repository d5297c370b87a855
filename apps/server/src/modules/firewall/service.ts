// A node's firewall (issue 19, docs/firewall.md), super users' (access/policies/firewalls.ts).
// Saving rules checks them (contracts' validators, then that they keep SSH and the agent's
// port open to the panel: the address the node last saw it from, or anyone while that is not
// known yet) and queues firewall.apply, which applies them on the node and confirms; the node
// reverts by itself when no confirmation arrives. One apply at a time: while one waits for its
// confirmation, saving again is refused. Unblocking an address takes it out of the saved list
// and, by a task, out of the node's blocked set.
import {
  type FirewallUnblock,
  type FirewallView,
  type firewallPut,
  lockoutProblems,
} from "@steward/contracts/firewall";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { firewalls } from "../../access/policies/firewalls.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { checkNode } from "../nodes/usable.ts";
import * as repo from "./repo.ts";
import { FIREWALL_APPLY, FIREWALL_UNBLOCK } from "./tasks.ts";

interface Deps {
  db: Db;
  engine: Pick<Engine, "enqueue">;
}

type Put = z.output<typeof firewallPut>;

/** The view of a node whose firewall Steward does not manage (yet). */
const unmanaged = (nodeId: string): FirewallView => ({
  node: nodeId,
  rules: [],
  blocked: [],
  sshRateLimit: null,
  sshBans: null,
  confirmSeconds: 60,
  autoConfirm: true,
  revision: 0,
  status: "none",
  appliedRevision: null,
  revertAt: null,
  message: null,
  panelAddress: null,
  task: null,
  updatedAt: new Date(0).toISOString(),
});

export function createFirewallService({ db, engine }: Deps) {
  const k = db.db;

  /** The node (a 404 when there is none), its agent's port and its firewall's row. */
  async function load(ctx: Ctx, nodeId: string, manage: boolean) {
    enforce(ctx, firewalls.canRead(ctx));
    const checked = await checkNode(k, nodeId);
    if (checked.problem?.kind === "missing") throw notFound(`node ${nodeId}`);
    if (manage) enforce(ctx, firewalls.canManage(ctx));
    return { checked, row: await repo.findFirewall(k, nodeId) };
  }

  return {
    async get(ctx: Ctx, nodeId: string): Promise<FirewallView> {
      const { row } = await load(ctx, nodeId, false);
      return row ? repo.toView(row) : unmanaged(nodeId);
    },

    /** Saves the rules and queues their apply. */
    async put(ctx: Ctx, nodeId: string, body: Put): Promise<FirewallView> {
      const { checked, row } = await load(ctx, nodeId, true);
      if (checked.problem) throw invalid("node", checked.problem.message);
      if (row?.status === "pending" && Number(row.revert_at) > Date.now())
        throw conflict(
          `the previous rules wait for their confirmation until ${new Date(Number(row.revert_at)).toISOString()}: confirm them or wait for the revert`,
        );
      const agentPort = Number(new URL(checked.node.agent_url).port || 443);
      const { rules: list, blocked, sshRateLimit, sshBans } = body;
      const rules = { rules: list, blocked, sshRateLimit, sshBans };
      const problems = lockoutProblems(
        rules,
        [
          { port: 22, name: "SSH (port 22)" },
          { port: agentPort, name: `the agent's port ${agentPort}` },
        ],
        row?.panel_address ? [row.panel_address] : null,
      );
      if (problems.length) throw invalid("rules", problems.join("; "));
      const now = Date.now();
      const revision = Number(row?.revision ?? 0) + 1;
      await k.transaction().execute(async (trx) => {
        const fields = {
          rules: JSON.stringify(rules),
          confirm_seconds: body.confirmSeconds,
          auto_confirm: body.autoConfirm ? 1 : 0,
          revision,
          status: "applying",
          message: null,
          revert_at: null,
          confirmed_revision: null,
        };
        if (row) await repo.updateFirewall(trx, nodeId, fields);
        else
          await repo.insertFirewall(trx, {
            ...fields,
            node_id: nodeId,
            applied_revision: null,
            panel_address: null,
            task_id: null,
            created_at: now,
            updated_at: now,
          });
        const { task } = await engine.enqueue(
          { kind: FIREWALL_APPLY, payload: { nodeId }, target: { type: "node", id: nodeId } },
          trx,
        );
        await repo.updateFirewall(trx, nodeId, { task_id: task.id });
        await recordAudit(trx, ctx, {
          action: "firewall.update",
          targetType: "node",
          targetId: nodeId,
          diff: {
            after: {
              revision,
              rules: rules.rules.length,
              blocked: rules.blocked.length,
              sshRateLimit: rules.sshRateLimit,
              sshBans: rules.sshBans,
              autoConfirm: body.autoConfirm,
            },
          },
        });
      });
      return repo.toView((await repo.findFirewall(k, nodeId)) as repo.FirewallRow);
    },

    /** A person's confirmation of the apply that waits for one. */
    async confirm(ctx: Ctx, nodeId: string): Promise<FirewallView> {
      const { row } = await load(ctx, nodeId, true);
      if (row?.status !== "pending")
        throw conflict("no apply of this node's firewall waits for a confirmation");
      await k.transaction().execute(async (trx) => {
        await repo.updateRevision(trx, nodeId, Number(row.revision), {
          confirmed_revision: Number(row.revision),
        });
        await recordAudit(trx, ctx, {
          action: "firewall.confirm",
          targetType: "node",
          targetId: nodeId,
          diff: { after: { revision: Number(row.revision) } },
        });
      });
      return repo.toView((await repo.findFirewall(k, nodeId)) as repo.FirewallRow);
    },

    /** Takes an address out of the saved blocked list and the node's blocked set. */
    async unblock(ctx: Ctx, nodeId: string, body: FirewallUnblock) {
      const { checked, row } = await load(ctx, nodeId, true);
      if (checked.problem) throw invalid("node", checked.problem.message);
      if (!row) throw conflict("Steward does not manage this node's firewall");
      const rules = repo.rulesOf(row);
      const wasBlocked = rules.blocked.includes(body.address);
      const blocked = rules.blocked.filter((b) => b !== body.address);
      const task = await k.transaction().execute(async (trx) => {
        if (wasBlocked)
          await repo.updateFirewall(trx, nodeId, { rules: JSON.stringify({ ...rules, blocked }) });
        const { task } = await engine.enqueue(
          {
            kind: FIREWALL_UNBLOCK,
            payload: { nodeId, address: body.address },
            target: { type: "node", id: nodeId },
          },
          trx,
        );
        await recordAudit(trx, ctx, {
          action: "firewall.unblock",
          targetType: "node",
          targetId: nodeId,
          diff: { before: { address: body.address, blocked: wasBlocked } },
        });
        return task;
      });
      return { address: body.address, wasBlocked, task: task.id };
    },
  };
}

export type FirewallService = ReturnType<typeof createFirewallService>;
