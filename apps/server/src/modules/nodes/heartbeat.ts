// node.heartbeat: GET /v1/health on every enrolled node at once, with a short timeout. An
// answer makes a node trusted (again); three missed ones in a row make it unreachable. State
// changes are audited as node.state by the system and recorded as events (node.unreachable,
// node.reachable). The load the agent reports with its answer
// is kept as the node's health, one point per minute for 24 hours (health.ts); cron runs waiting
// in its spool and cron files from before its cron-exec are handed to the cron module. A node
// that answers without facts read yet (its agent started after the enrollment's facts task
// gave up) gets a node.facts task, so its facts do not wait for the hourly one.
import { agent } from "@steward/contracts";
import { type Ctx, systemActor } from "../../access/types.ts";
import { agentRequest } from "../../agents/client.ts";
import { recordAudit } from "../../audit/log.ts";
import type { HandlerContext } from "../../engine/types.ts";
import { nodeReachable, nodeUnreachable } from "../events/producers.ts";
import { METRICS_KEPT_MS, metricRow } from "./health.ts";
import { NODE_FACTS } from "./kinds.ts";
import * as repo from "./repo.ts";
import type { NodeTaskDeps } from "./tasks.ts";

export const MISSES_BEFORE_UNREACHABLE = 3;
const HEALTH_TIMEOUT_MS = 5_000;
/** at most this many requests at once */
const PARALLEL = 64;
const FACTS_ASKED_EVERY_MS = 10 * 60_000;
/** when this process last asked each node's facts for want of any (askFacts) */
const factsAsked = new Map<string, number>();

interface Target {
  id: string;
  name: string;
  agent_url: string;
  last_seen_at: number | null;
  has_facts: number;
}

export async function heartbeat(deps: NodeTaskDeps, ctx: HandlerContext<unknown>) {
  const k = deps.db.db;
  const audit: Ctx = {
    actor: systemActor("node.heartbeat"),
    grants: [],
    ip: null,
    requestId: ctx.task.id,
  };
  const nodes = await repo.nodesToCheck(k, { states: ["trusted", "unreachable"], enrolled: true });

  async function answered(n: Target, agentVersion: string) {
    const now = Date.now();
    const back = await k.transaction().execute(async (trx) => {
      if (!(await repo.markAnswered(trx, n.id, now, agentVersion))) return false;
      await recordAudit(trx, audit, {
        action: "node.state",
        targetType: "node",
        targetId: n.id,
        diff: { state: { from: "unreachable", to: "trusted" } },
      });
      await nodeReachable(trx, n, now);
      return true;
    });
    if (back) ctx.log.info(`node ${n.name} answers again: trusted`);
  }

  async function missed(n: Target, reason: string) {
    const now = Date.now();
    const lost = await k.transaction().execute(async (trx) => {
      const unreachable = await repo.markMissed(trx, n.id, {
        reason,
        now,
        missesBeforeUnreachable: MISSES_BEFORE_UNREACHABLE,
      });
      if (!unreachable) return false;
      await recordAudit(trx, audit, {
        action: "node.state",
        targetType: "node",
        targetId: n.id,
        diff: { state: { from: "trusted", to: "unreachable" }, reason },
      });
      await nodeUnreachable(trx, n, reason);
      return true;
    });
    ctx.log.warn(`node ${n.name}: ${reason}`);
    if (lost)
      ctx.log.error(
        `node ${n.name} is unreachable after ${MISSES_BEFORE_UNREACHABLE} missed heartbeats`,
      );
  }

  /**
   * one node.facts task per node at a time (its unique key), and at most one every ten minutes
   * (facts that fail for good, an agent of another version, would otherwise fail again every 30
   * seconds)
   */
  async function askFacts(n: Target) {
    const now = Date.now();
    if (now - (factsAsked.get(n.id) ?? 0) < FACTS_ASKED_EVERY_MS) return;
    factsAsked.set(n.id, now);
    await ctx.enqueue({
      kind: NODE_FACTS,
      payload: { nodeId: n.id },
      target: { type: "node", id: n.id },
    });
    ctx.log.info(`node ${n.name} answers and its facts were never read: asking for them`);
  }

  async function check(n: Target) {
    try {
      const answer = await agentRequest(deps, n.id, {
        method: "GET",
        path: "/v1/health",
        sub: "health",
        requestId: ctx.task.id,
        signal: ctx.signal,
        timeoutMs: deps.healthTimeoutMs ?? HEALTH_TIMEOUT_MS,
      });
      const h = agent.health.safeParse(answer);
      if (!h.success)
        throw new Error(
          `the agent at ${n.agent_url} answers its health in a form this panel does not understand`,
        );
      if (h.data.nodeId !== n.id)
        throw new Error(
          `the agent at ${n.agent_url} says it is node ${h.data.nodeId}, not ${n.id}: re-enroll it`,
        );
      await answered(n, h.data.version);
      if (!Number(n.has_facts))
        await askFacts(n).catch((err: Error) =>
          ctx.log.warn(`node ${n.name}: its facts could not be asked for: ${err.message}`),
        );
      if (h.data.load) await repo.recordMetric(k, metricRow(n.id, h.data.load, Date.now()));
      if (h.data.cronRuns) await deps.onCronRuns?.(n.id);
      if (h.data.cronStale?.length && deps.onCronStale) {
        const queued = await deps.onCronStale(n.id, h.data.cronStale);
        if (queued)
          ctx.log.info(
            `node ${n.name}: cron files of ${queued} account(s) do not run the agent's cron-exec: applying their jobs again`,
          );
      }
      return true;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      await missed(n, (err as Error).message);
      return false;
    }
  }

  // a pool: a slow node holds one slot, not a whole batch
  let next = 0;
  let ok = 0;
  const worker = async () => {
    for (let n = nodes[next++]; n; n = nodes[next++]) if (await check(n)) ok++;
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, nodes.length) }, worker));
  await repo.pruneMetrics(k, Date.now() - METRICS_KEPT_MS);
  return { checked: nodes.length, answered: ok };
}
