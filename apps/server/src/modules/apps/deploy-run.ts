// What both deploy paths of the deploy task (tasks.ts) share: the run (the task's context, the
// app, the node's operations) and how a failed deployment is recorded.
import type { agent } from "@steward/contracts";
import type { HandlerContext } from "../../engine/types.ts";
import * as repo from "./repo.ts";
import type { Deps } from "./tasks.ts";

export interface DeployRun {
  deps: Deps;
  ctx: HandlerContext<{ appId: string; deploymentId: string }>;
  app: repo.AppRow;
  deploymentId: string;
  /** an operation on the app's node, its log lines in the task's */
  node: (name: agent.OperationName, input: unknown) => Promise<agent.OpResult>;
}

/** Records a failed deployment: the app `failed`, or still `running` with the error noted. */
export async function recordFailure(
  run: DeployRun,
  status: "failed" | "running",
  error: string,
  lastError: string,
) {
  const { deps, app, deploymentId } = run;
  await deps.db.db.transaction().execute(async (trx) => {
    await repo.updateDeployment(trx, deploymentId, {
      status: "failed",
      error,
      finished_at: Date.now(),
    });
    await repo.updateApp(trx, app.id, { status, last_error: lastError });
  });
}

/** Each step the node reports, in the task's log. */
export function logSteps(run: DeployRun, result: agent.OpResult) {
  for (const s of result.steps)
    run.ctx.log[s.ok ? "info" : "error"](
      `step ${s.name}: ${s.ok ? "ok" : "FAILED"} ${s.durationMs} ms`,
    );
}
