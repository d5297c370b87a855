// The deploy task: makes the app's node run its container as the row says (the spec with its
// secrets opened only here, in the task). A previous container of the app is removed first
// (keeping the app's volumes), then the agent creates, starts and waits for the new one to be
// healthy (container.deploy). The engine's timeout and attempts decide when it gives up: a
// deploy is never left "in progress". An agent that does not answer is retried; a refusal is
// final, recorded on the deployment and the app.
import type { agent } from "@steward/contracts";
import type { ContainerSpec } from "@steward/contracts/apps";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { composeDeployInput, composeSpecOf } from "./compose-app.ts";
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

interface Deps {
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

function deployTask({ db, secrets, call }: Deps): HandlerDef<typeof payload> {
  const k = db.db;
  return {
    kind: APP_DEPLOY,
    description: "deploys an app's container on its node and waits until it is healthy",
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
      /** `running`: the node put the previous version back (a compose redeploy rolled back) */
      const failed = async (message: string, status: "failed" | "running" = "failed") => {
        await k.transaction().execute(async (trx) => {
          await repo.updateDeployment(trx, deploymentId, {
            status: "failed",
            error: message,
            finished_at: Date.now(),
          });
          await repo.updateApp(trx, appId, { status, last_error: message });
        });
      };
      await repo.updateDeployment(k, deploymentId, { status: "running" });
      const opts = {
        signal: ctx.signal,
        onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      const replaceContainer = async () => {
        ctx.log.info(`removing the previous container of ${app.name}, if any (volumes kept)`);
        const removed = await call(
          app.node_id,
          "container.action",
          { appId, action: "remove" },
          opts,
        );
        if (removed.status !== "ok")
          throw new PermanentError(removed.error?.message ?? "remove failed");
        ctx.log.info(`deploying ${app.image} as ${app.name}`);
        return call(
          app.node_id,
          "container.deploy",
          { appId, deploymentId, name: app.name, spec: specOf(app, secrets) },
          opts,
        );
      };
      let result: agent.OpResult;
      const compose = composeSpecOf(app);
      try {
        if (compose) {
          // a compose stack: docker-compose up again replaces what changed, in place
          ctx.log.info(`bringing up the compose stack ${app.name}`);
          const input = await composeDeployInput(k, app, compose, secrets);
          result = await call(app.node_id, "compose.up", input, opts);
        } else result = await replaceContainer();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError)
          await failed(message);
        throw err;
      }
      for (const s of result.steps)
        ctx.log[s.ok ? "info" : "error"](
          `step ${s.name}: ${s.ok ? "ok" : "FAILED"} ${s.durationMs} ms`,
        );
      if (result.status !== "ok") {
        const message = result.error?.message ?? `the node answered ${result.status}`;
        // a redeploy of a stack that ran: the node brought the previous file's stack back
        const restored =
          compose !== null &&
          result.status === "rolled_back" &&
          (await repo.deploymentsOf(k, appId)).some(
            (d) => d.id !== deploymentId && d.status === "succeeded",
          );
        if (restored) ctx.log.warn("the node brought the previous stack back");
        await failed(message, restored ? "running" : "failed");
        throw new PermanentError(message);
      }
      const containers = compose
        ? (result.output as agent.OpOutput<"compose.up">).containers
        : [(result.output as agent.OpOutput<"container.deploy">).container];
      const published = containers.flatMap((c) => c.ports);
      await k.transaction().execute(async (trx) => {
        await repo.updateDeployment(trx, deploymentId, {
          status: "succeeded",
          containers: JSON.stringify(containers),
          finished_at: Date.now(),
        });
        await repo.updateApp(trx, appId, {
          status: "running",
          last_error: null,
          published: JSON.stringify(published),
        });
      });
      for (const c of containers) {
        const ports = c.ports.map((p) => `${p.host}->${p.container}/${p.protocol}`).join(", ");
        ctx.log.info(`${c.name} is ${c.health ?? c.state}${ports ? ` (${ports})` : ""}`);
      }
      return { containers: containers.map((c) => c.name), ports: published };
    },
  };
}

export function registerAppTasks(registry: Registry, deps: Deps) {
  registry.register(deployTask(deps));
  registry.register(pruneTask(deps));
}
