// The deploy task: makes the app's node run what the row says (the spec with its secrets opened
// only here, in the task). A compose stack goes up with compose.up (deploy-compose.ts); an image
// or git app's container is built if need be and deployed, zero-downtime where its ports allow,
// behind its site (deploy-container.ts). The engine's timeout and attempts decide when it gives
// up: a deploy is never left "in progress". An agent that does not answer is retried; a
// refusal is final, recorded on the deployment and the app.
import type { agent } from "@steward/contracts";
import type { ContainerSpec } from "@steward/contracts/apps";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { composeSpecOf } from "./compose-app.ts";
import { deployCompose } from "./deploy-compose.ts";
import { deployContainer } from "./deploy-container.ts";
import type { StepDeps } from "./deploy-steps.ts";
import { pruneTask } from "./prune-task.ts";
import * as repo from "./repo.ts";

export const APP_DEPLOY = "app.deploy";

export type CallOperation = (
  nodeId: string,
  name: agent.OperationName,
  input: unknown,
  opts: {
    signal: AbortSignal;
    onLog: (line: string, level: "info" | "warn" | "error") => void;
    requestId: string;
  },
) => Promise<agent.OpResult>;

const payload = z.strictObject({ appId: z.string(), deploymentId: z.string() });

export interface Deps extends StepDeps {
  db: Db;
  secrets: Secrets;
  call: CallOperation;
}

/** The full spec: the stored one with the secret variables opened. */
export function specOf(row: repo.AppRow, secrets: Secrets): ContainerSpec {
  const spec = JSON.parse(row.spec) as ContainerSpec;
  const sealed = row.secrets_sealed
    ? (JSON.parse(secrets.open(row.secrets_sealed)) as Record<string, string>)
    : {};
  return { ...spec, env: { ...spec.env, ...sealed } };
}

function deployTask(deps: Deps): HandlerDef<typeof payload> {
  const { db, secrets, call } = deps;
  const k = db.db;
  return {
    kind: APP_DEPLOY,
    description:
      "deploys an app on its node: a compose stack with compose.up; a container (built first for git apps) until healthy, switching its site and retiring the previous one",
    payload,
    timeoutMs: 15 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 5_000, maxMs: 60_000 },
    concurrency: { key: (p) => `app:${p.appId}`, limit: 1 },
    async run(ctx) {
      const { appId, deploymentId } = ctx.task.payload;
      const app = await repo.findApp(k, appId);
      const deployment = await repo.findDeployment(k, deploymentId);
      if (!app || !deployment) {
        ctx.log.info("the app no longer exists: nothing to do");
        return null;
      }
      await repo.updateDeployment(k, deploymentId, { status: "running" });
      const opts = {
        signal: ctx.signal,
        onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      const node = (name: agent.OperationName, input: unknown) =>
        call(app.node_id, name, input, opts);
      const run = { deps, ctx, app, deploymentId, node };
      const compose = composeSpecOf(app);
      return compose ? deployCompose(run, compose) : deployContainer(run, specOf(app, secrets));
    },
  };
}

export function registerAppTasks(registry: Registry, deps: Deps) {
  registry.register(deployTask(deps));
  registry.register(pruneTask(deps));
}
