// Agent upgrades (docs/install.md): POST /api/v1/nodes/{id}/agent-upgrade enqueues a
// node.agent-upgrade task with the build's SHA-256 (super users: the agent is root on the
// node). The task sends agent.upgrade (the agent downloads that build from the panel, checks
// it, swaps it in and restarts into it), then asks the agent's health until it answers with
// the new version. An agent that answers with another version and has restarted since the
// swap has rolled back (the new one did not come up): the task fails saying so. No answer
// within waitSeconds fails it too.

import { setTimeout as sleep } from "node:timers/promises";
import { type AgentUpgradeRequest, agent, v } from "@steward/contracts";
import { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { nodes } from "../../access/policies/nodes.ts";
import type { Ctx } from "../../access/types.ts";
import { agentRequest, runOperation } from "../../agents/client.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { PermanentError } from "../../engine/types.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { NODE_AGENT_UPGRADE } from "./kinds.ts";
import * as repo from "./repo.ts";
import type { NodesDeps } from "./service.ts";
import type { NodeTaskDeps } from "./tasks.ts";
import { factsOf } from "./view.ts";

const payload = z.strictObject({
  nodeId: v.id,
  version: agent.agentVersion,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** how long the new version has to answer (the agent rolls back after its own 60 s) */
  waitSeconds: z.number().int().min(1).max(3600).default(120),
});

export function createAgentUpgrade(deps: NodesDeps) {
  const k = deps.db.db;
  return async function upgradeAgent(ctx: Ctx, id: string, input: AgentUpgradeRequest) {
    enforce(ctx, nodes.canUpgradeAgent(ctx));
    const node = await repo.findNode(k, id);
    if (!node) throw notFound(`node ${id}`);
    if (node.state !== "trusted" && node.state !== "unreachable")
      throw conflict(`node ${node.name} is ${node.state}: it has no agent to upgrade`, "state");
    const version = input.version ?? deps.install.version;
    // the build of the node's architecture (x64 until its facts say otherwise)
    const arch = factsOf(node)?.arch ?? "x64";
    const release = deps.install.release(version, arch);
    return k.transaction().execute(async (trx) => {
      const made = await deps.engine.enqueue(
        {
          kind: NODE_AGENT_UPGRADE,
          payload: { nodeId: node.id, version, sha256: release.sha256 },
          target: { type: "node", id: node.id },
        },
        trx,
      );
      await recordAudit(
        trx,
        ctx,
        changeOf("node", node.id, "agent_upgrade", { version, taskId: made.task.id }),
      );
      return { taskId: made.task.id };
    });
  };
}

export function agentUpgradeTask(deps: NodeTaskDeps): HandlerDef<typeof payload> {
  return {
    kind: NODE_AGENT_UPGRADE,
    description:
      "replaces a node's single-file agent with a version the panel serves; it rolls back by itself when the new one does not answer",
    payload,
    timeoutMs: 60 * 60_000,
    maxAttempts: 1,
    unique: (p) => p.nodeId,
    async run(ctx) {
      const { nodeId, version, sha256, waitSeconds } = ctx.task.payload;
      const result = await runOperation(
        deps,
        nodeId,
        "agent.upgrade",
        { version, sha256 },
        {
          requestId: ctx.task.id,
          signal: ctx.signal,
          onLog: (line, level) => ctx.log[level](line),
        },
      );
      if (result.status !== "ok")
        throw new PermanentError(`the agent did not upgrade: ${result.error?.message}`);
      const out = result.output as agent.AgentUpgradeOutput;
      if (!out.restart) {
        ctx.log.info(`the agent already runs ${version}`);
        return { from: out.from, to: version };
      }
      const swapped = Date.now();
      const deadline = swapped + waitSeconds * 1000;
      let last = "no answer yet";
      while (Date.now() < deadline && !ctx.signal.aborted) {
        await sleep(1000, undefined, { signal: ctx.signal }).catch(() => {});
        try {
          const health = agent.health.parse(
            await agentRequest(deps, nodeId, {
              method: "GET",
              path: "/v1/health",
              sub: "health",
              requestId: ctx.task.id,
              signal: ctx.signal,
              timeoutMs: 5000,
            }),
          );
          if (health.version === version) {
            ctx.log.info(`the agent answers as ${version} (it was ${out.from})`);
            return { from: out.from, to: version };
          }
          // started after the swap, yet not the new version: the rollback put the old one back
          if (health.uptimeSeconds * 1000 < Date.now() - swapped)
            throw new PermanentError(
              `the agent did not come up as ${version}: it rolled back to ${health.version} by itself (its log on the node says why)`,
            );
          last = `it still answers as ${health.version}`;
        } catch (e) {
          if (e instanceof PermanentError) throw e;
          last = (e as Error).message;
        }
      }
      throw new PermanentError(
        `the agent did not answer as ${version} within ${waitSeconds} s (${last}); it rolls back by itself when the new version does not reach the panel`,
      );
    },
  };
}
