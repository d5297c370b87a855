// The scheduled prune of a node's container engine: a system task kind (super users create
// it, through the task API or `steward task add engine.prune --payload … --expression
// "@daily"`), recurring like any schedule; each run asks the node's agent to prune what the
// payload names and logs what the engine freed. The engine's task machinery is the policy:
// its schedule, its runs, its history.
import type { agent } from "@steward/contracts";
import { v } from "@steward/contracts";
import { pruneTargets } from "@steward/contracts/agent";
import type { Db } from "../../db/open.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { PermanentError } from "../../engine/types.ts";
import { checkNode } from "../nodes/usable.ts";
import type { CallOperation } from "./tasks.ts";

export const ENGINE_PRUNE = "engine.prune";

const payload = pruneTargets.extend({ node: v.id });

const bytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`;

export function pruneTask({
  db,
  call,
}: {
  db: Db;
  call: CallOperation;
}): HandlerDef<typeof payload> {
  return {
    kind: ENGINE_PRUNE,
    description:
      "prunes a node's container engine (stopped containers, unused images and volumes, build cache, as the payload says)",
    payload,
    timeoutMs: 30 * 60_000,
    maxAttempts: 2,
    backoff: { baseMs: 60_000, maxMs: 600_000 },
    concurrency: { key: (p) => `engine:${p.node}`, limit: 1 },
    userCreatable: true,
    recurring: true,
    system: true,
    async run(ctx) {
      const { node, ...targets } = ctx.task.payload;
      const checked = await checkNode(db.db, node, true);
      if (checked.problem) throw new PermanentError(checked.problem.message);
      const asked = Object.entries(targets)
        .filter(([, on]) => on)
        .map(([what]) => what);
      if (!asked.length) {
        ctx.log.info("nothing to prune: the payload names no kind");
        return { bytesFreed: 0 };
      }
      ctx.log.info(`pruning ${asked.join(", ")} on node ${checked.node.name}`);
      const result = await call(node, "engine.prune", targets, {
        signal: ctx.signal,
        onLog: (line, level) => ctx.log[level](line),
        requestId: ctx.task.id,
      });
      if (result.status !== "ok")
        throw new PermanentError(result.error?.message ?? `the node answered ${result.status}`);
      const out = result.output as agent.OpOutput<"engine.prune">;
      const r = out.removed;
      ctx.log.info(
        `freed ${bytes(out.bytesFreed)}: ${r.containers} containers, ${r.images} images, ${r.volumes} volumes, ${r.buildCache} build cache entries`,
      );
      return out;
    },
  };
}
