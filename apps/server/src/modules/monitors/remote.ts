// Checks from the nodes (docs/monitors.md, "Locations and quorum"): the scheduler hands each
// node location's check here; the checks a tick starts for one node go to its agent as one
// monitor.check operation (batches of at most MAX_CHECK_BATCH), and its answer resolves each.
// A node that cannot be reached, an operation that fails or a result missing from the answer
// resolves to null: that location casts no vote (never a down one).
import {
  MAX_CHECK_BATCH,
  type MonitorCheckSpec,
  type OperationName,
  type OpResult,
} from "@steward/contracts/agent";
import type { ProbeResult } from "@steward/probes";
import type { Logger } from "pino";
import type { Db } from "../../db/open.ts";
import { nodePolicy } from "../nodes/outbound.ts";
import { findNode } from "../nodes/repo.ts";

/** Sends a node a batch; answers each monitor's result by id (absent: no answer). */
export type SendChecks = (
  nodeId: string,
  checks: MonitorCheckSpec[],
) => Promise<Map<string, ProbeResult>>;

interface Waiting {
  spec: MonitorCheckSpec;
  done: (result: ProbeResult | null) => void;
}

/** Batches node checks: every check asked for before the next turn of the event loop goes together. */
export function createNodeChecks(o: { send: SendChecks; log: Logger }) {
  const pending = new Map<string, Waiting[]>();
  let scheduled = false;

  async function sendBatch(nodeId: string, batch: Waiting[]) {
    const answers = await o
      .send(
        nodeId,
        batch.map((w) => w.spec),
      )
      .catch((err) => {
        o.log.warn({ err, node: nodeId }, "a node's monitor checks got no answer: no vote");
        return new Map<string, ProbeResult>();
      });
    for (const w of batch) w.done(answers.get(w.spec.id) ?? null);
  }

  function flush() {
    scheduled = false;
    const all = [...pending];
    pending.clear();
    for (const [nodeId, list] of all)
      for (let at = 0; at < list.length; at += MAX_CHECK_BATCH)
        void sendBatch(nodeId, list.slice(at, at + MAX_CHECK_BATCH));
  }

  return {
    check(nodeId: string, spec: MonitorCheckSpec): Promise<ProbeResult | null> {
      return new Promise((done) => {
        const list = pending.get(nodeId) ?? [];
        list.push({ spec, done });
        pending.set(nodeId, list);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}

export type NodeChecks = ReturnType<typeof createNodeChecks>;

type RunOperation = (
  nodeId: string,
  name: OperationName,
  input: unknown,
  opts: { signal: AbortSignal },
) => Promise<OpResult>;

/** The sender through the panel's agent client: the node's outbound policy with the batch. */
export function agentSender(o: {
  db: Db;
  settings: Parameters<typeof nodePolicy>[0];
  runOperation: () => Promise<RunOperation>;
}): SendChecks {
  return async (nodeId, checks) => {
    const node = await findNode(o.db.db, nodeId);
    if (!node) return new Map();
    const longest = Math.max(...checks.map((c) => c.timeoutMs));
    const run = await o.runOperation();
    const input = { outbound: nodePolicy(o.settings, node), location: nodeId, checks };
    const answer = await run(nodeId, "monitor.check", input, {
      signal: AbortSignal.timeout(longest + 15_000),
    });
    if (answer.status !== "ok") return new Map();
    const { results } = answer.output as { results: ({ id: string } & ProbeResult)[] };
    return new Map(results.map(({ id, ...result }) => [id, result]));
  };
}
