// What an app's readers watch and what super users do to a node's whole engine: logs (read
// again every two seconds from where the last read ended, for a live stream), stats (each
// read kept in a small in-memory history per app: the last 60 samples of this panel
// process), the node's containers, disk usage and prune. The node's containers and disk usage
// asked for while the same read of that node is on its way share it (lib/once.ts): ten
// users on a node's engine page cost its engine one list, not ten at once.
import type { agent } from "@steward/contracts";
import { enforce } from "../../access/decision.ts";
import { apps as policy } from "../../access/policies/apps.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import { sharedWhileRunning } from "../../lib/once.ts";
import { usableNode } from "../nodes/usable.ts";
import type { NodeCaller } from "./node-call.ts";
import type { AppsService } from "./service.ts";

type Sample = {
  at: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytes: number;
  netTxBytes: number;
};
type Line = agent.OpOutput<"container.logs">["lines"][number];

const HISTORY = 60;

interface Deps {
  db: Db;
  node: NodeCaller;
  apps: () => AppsService;
}

export function createAppObserver({ db, node, apps }: Deps) {
  const history = new Map<string, Sample[]>();
  const k = db.db;
  const listed = sharedWhileRunning((nodeId) => node.run(nodeId, "container.list", {}));
  const usage = sharedWhileRunning((nodeId) => node.run(nodeId, "engine.disk-usage", {}));

  return {
    /** The app's log lines (containing `filter`), from `since` (unix seconds) on. */
    async logs(
      ctx: Ctx,
      id: string,
      o: { since?: number; tail: number; filter?: string | undefined },
    ) {
      const row = await apps().mustFind(ctx, id);
      const out = await node.run(row.node_id, "container.logs", {
        appId: row.id,
        since: o.since ?? 0,
        tail: o.tail,
      });
      const filter = o.filter;
      return filter ? out.lines.filter((l: Line) => l.text.includes(filter)) : out.lines;
    },

    /** One sample of the app's containers (summed), and the samples before it. */
    async stats(ctx: Ctx, id: string) {
      const row = await apps().mustFind(ctx, id);
      const out = await node.run(row.node_id, "container.stats", { appId: row.id });
      const sum = (f: (s: (typeof out.stats)[number]) => number) =>
        out.stats.reduce((n, s) => n + f(s), 0);
      const current: Sample | null = out.stats.length
        ? {
            at: out.at,
            cpuPercent: Math.round(sum((s) => s.cpuPercent) * 100) / 100,
            memoryBytes: sum((s) => s.memoryBytes),
            memoryLimitBytes: sum((s) => s.memoryLimitBytes),
            netRxBytes: sum((s) => s.netRxBytes),
            netTxBytes: sum((s) => s.netTxBytes),
          }
        : null;
      const kept = history.get(row.id) ?? [];
      if (current) {
        kept.push(current);
        if (kept.length > HISTORY) kept.shift();
        history.set(row.id, kept);
      }
      return { current, history: [...kept] };
    },

    async containers(ctx: Ctx, nodeId: string) {
      enforce(ctx, policy.canUseEngine(ctx));
      await usableNode(k, nodeId);
      return { items: (await listed(nodeId)).containers };
    },

    async diskUsage(ctx: Ctx, nodeId: string) {
      enforce(ctx, policy.canUseEngine(ctx));
      await usableNode(k, nodeId);
      return usage(nodeId);
    },

    async prune(ctx: Ctx, nodeId: string, targets: agent.OpInput<"engine.prune">) {
      enforce(ctx, policy.canUseEngine(ctx));
      await usableNode(k, nodeId);
      const out = await node.run(nodeId, "engine.prune", targets);
      await recordAudit(k, ctx, {
        action: "node.prune",
        targetType: "node",
        targetId: nodeId,
        diff: { targets, ...out },
      });
      return out;
    },
  };
}

export type AppObserver = ReturnType<typeof createAppObserver>;
