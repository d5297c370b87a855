// The tasks of nodes: heartbeats (state), facts, certificate rotation. Requests to agents
// are only ever made from tasks.
import { agent, v } from "@steward/contracts";
import { z } from "zod";
import { type AgentEnv, agentRequest } from "../../agents/client.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { agentUpgradeTask } from "./agent-upgrade.ts";
import { heartbeat } from "./heartbeat.ts";
import { NODE_FACTS, NODE_HEARTBEAT, NODE_ROTATE_CERT } from "./kinds.ts";
import * as repo from "./repo.ts";
import { rotateCertificates } from "./rotate.ts";

export interface NodeTaskDeps extends AgentEnv {
  /** heartbeat request timeout, ms */
  healthTimeoutMs?: number;
  /** the agent's health says scheduled cron runs wait in its spool (modules/cron/collect.ts) */
  onCronRuns?: (nodeId: string) => Promise<void>;
  /**
   * the agent's health names accounts whose cron.d file does not run its cron-exec (a file from
   * before the runs were reported): their jobs are applied again (modules/cron/reapply.ts);
   * answers how many accounts' applies were queued
   */
  onCronStale?: (nodeId: string, accounts: string[]) => Promise<number>;
}

const none = z.strictObject({});
const oneOrAll = z.strictObject({
  /** one node; all trusted nodes when absent */
  nodeId: v.id.optional(),
});

const common = {
  userCreatable: true,
  recurring: true,
  system: true,
} as const;

function heartbeatTask(deps: NodeTaskDeps): HandlerDef<typeof none> {
  return {
    ...common,
    kind: NODE_HEARTBEAT,
    description:
      "asks every enrolled node's agent for its health; 3 missed answers make a node unreachable, an answer makes it trusted again",
    payload: none,
    timeoutMs: 60_000,
    maxAttempts: 1,
    unique: () => "default",
    run: (ctx) => heartbeat(deps, ctx),
  };
}

function factsTask(deps: NodeTaskDeps): HandlerDef<typeof oneOrAll> {
  const k = deps.db.db;
  return {
    ...common,
    kind: NODE_FACTS,
    description:
      "reads what a node's agent reports about its machine (all trusted nodes when no nodeId)",
    payload: oneOrAll,
    timeoutMs: 5 * 60_000,
    maxAttempts: 3,
    unique: (p) => p.nodeId ?? "all",
    async run(ctx) {
      const { nodeId } = ctx.task.payload;
      const nodes = await repo.nodesToCheck(k, nodeId ? { id: nodeId } : { states: ["trusted"] });
      let updated = 0;
      const failed: string[] = [];
      await Promise.all(
        nodes.map(async (n) => {
          try {
            const answer = await agentRequest(deps, n.id, {
              method: "GET",
              path: "/v1/facts",
              sub: "facts",
              requestId: ctx.task.id,
              signal: ctx.signal,
            });
            const facts = agent.facts.safeParse(answer);
            if (!facts.success)
              throw new Error(
                `the facts of node ${n.name} are not what this panel expects: are the agent and the panel the same version?`,
              );
            await repo.setFacts(k, n.id, facts.data);
            updated++;
          } catch (err) {
            // one node: its failure is the task's; all nodes: the heartbeat reports the down ones
            if (nodeId || ctx.signal.aborted) throw err;
            failed.push(n.name);
            ctx.log.warn(`node ${n.name}: ${(err as Error).message}`);
          }
        }),
      );
      if (nodeId && nodes.length === 0) ctx.log.info(`node ${nodeId} no longer exists`);
      ctx.log.info(
        `facts of ${updated} node(s) updated${failed.length ? `, ${failed.length} failed` : ""}`,
      );
      return { updated, failed };
    },
  };
}

function rotateTask(deps: NodeTaskDeps): HandlerDef<typeof oneOrAll> {
  return {
    ...common,
    kind: NODE_ROTATE_CERT,
    description:
      "renews agents' certificates that expire within 30 days (or one node's now): a new key and certificate on the node, the old one valid until the new one is in place",
    payload: oneOrAll,
    timeoutMs: 10 * 60_000,
    maxAttempts: 3,
    unique: (p) => p.nodeId ?? "all",
    run: (ctx) => rotateCertificates(deps, ctx),
  };
}

export function registerNodeTasks(registry: Registry, deps: NodeTaskDeps) {
  registry.register(heartbeatTask(deps));
  registry.register(factsTask(deps));
  registry.register(rotateTask(deps));
  registry.register(agentUpgradeTask(deps));
}
