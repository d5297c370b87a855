// What restores and test restores share: the artifact, its destination's settings (secrets
// opened, the outbound policy checked) and the key that opens it (the plan's panel key opened
// for the call, or the identity held for this task: held-keys.ts); and the agent's operation
// on a node, its log lines into the task's log.
import type { HandlerContext } from "../../engine/types.ts";
import { PermanentError } from "../../engine/types.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import { destinationTargets, openedSettings } from "./destination-test.ts";
import { takeKey } from "./held-keys.ts";
import { findPlan } from "./plans-repo.ts";
import { findDestination } from "./repo.ts";
import type { BackupTaskDeps } from "./run-input.ts";
import * as runs from "./runs-repo.ts";

/** The artifact, its destination's settings (secrets opened) and the key that opens it. */
export async function openArtifact(
  deps: BackupTaskDeps,
  ctx: HandlerContext<{ artifactId: string; heldKey: boolean }>,
) {
  const k = deps.db.db;
  const artifact = await runs.findArtifact(k, ctx.task.payload.artifactId);
  if (!artifact) throw new PermanentError("the artifact no longer exists");
  if (artifact.deleted_at !== null) throw new PermanentError("the artifact was deleted");
  const destination = await findDestination(k, artifact.destination_id);
  if (!destination) throw new PermanentError("the artifact's destination was deleted");
  const settings = openedSettings(destination, deps.secrets);
  const refused = await refuseFields(
    destinationTargets(settings),
    monitorPolicy(deps.settings, destination.account_id),
  );
  if (refused) throw new PermanentError(`destination ${refused.field}: ${refused.message}`);
  const plan = await findPlan(k, artifact.plan_id);
  let privateKey: string | undefined;
  if (ctx.task.payload.heldKey) {
    privateKey = (await takeKey(k, deps.secrets, ctx.task.id)) ?? undefined;
    if (!privateKey)
      throw new PermanentError(
        "the identity given with the request is no longer held (taken by an earlier attempt, or an hour passed): ask again",
      );
  } else if (artifact.name.endsWith(".enc")) {
    if (!plan?.private_key_sealed)
      throw new PermanentError("the artifact is encrypted for the user's keys: give an identity");
    privateKey = deps.secrets.open(plan.private_key_sealed);
  }
  return { artifact, settings, plan, privateKey };
}

export async function callOp(
  deps: BackupTaskDeps,
  ctx: HandlerContext<unknown>,
  nodeId: string,
  name: "backup.restore" | "backup.verify",
  input: unknown,
) {
  const result = await deps.call(nodeId, name, input, {
    signal: ctx.signal,
    requestId: ctx.task.id,
    onLog: (line, level) => ctx.log[level](line),
  });
  if (result.status !== "ok")
    throw new PermanentError(result.error?.message ?? `the operation ${result.status}`);
  return result.output;
}
