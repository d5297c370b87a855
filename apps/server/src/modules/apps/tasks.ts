// The deploy task: makes the app's node run its container as the row says (the spec with its
// secrets opened only here, in the task). A git app's image is built on the node first
// (container.build). When every port of the app lets the agent pick its host port, the deploy
// is a zero-downtime one: the new container starts beside the old one (on another host port),
// and only once it is healthy does the app's site switch to it and the old one go
// (container.retire); a new container that is not healthy is removed and the old one keeps
// serving (the deployment failed, the app still running its previous image). With a fixed host
// port the previous container is removed first (its volumes kept). The engine's timeout and
// attempts decide when it gives up: a deploy is never left "in progress". An agent that does
// not answer is retried; a refusal is final, recorded on the deployment and the app.
import type { agent } from "@steward/contracts";
import type { ContainerSpec } from "@steward/contracts/apps";
import { z } from "zod";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { buildFromGit, routeToSite, type StepDeps } from "./deploy-steps.ts";
import * as gitRepo from "./git-repo.ts";
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

interface Deps extends StepDeps {
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
      "builds (git apps) and deploys an app's container on its node, waits until it is healthy, switches its site and retires the previous one",
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
      const opts = {
        signal: ctx.signal,
        onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      const node = (name: agent.OperationName, input: unknown) =>
        call(app.node_id, name, input, opts);
      const spec = specOf(app, secrets);
      // zero downtime when the agent picks every host port: the new container beside the old
      const rolling = spec.ports.every((p) => p.host === undefined);
      let previous: string[] = [];
      const failed = async (message: string) => {
        const keeps = rolling && previous.length > 0;
        await k.transaction().execute(async (trx) => {
          await repo.updateDeployment(trx, deploymentId, {
            status: "failed",
            error: message,
            finished_at: Date.now(),
          });
          await repo.updateApp(
            trx,
            appId,
            keeps
              ? {
                  status: "running",
                  last_error: `the redeploy failed (${message}); the previous deployment keeps serving`,
                }
              : { status: "failed", last_error: message },
          );
        });
        if (keeps) ctx.log.warn("rolled back: the previous deployment keeps serving");
      };
      await repo.updateDeployment(k, deploymentId, { status: "running" });
      let result: agent.OpResult;
      let built: agent.OpOutput<"container.build"> | null = null;
      try {
        const listed = await node("container.list", { appId });
        if (listed.status === "ok")
          previous = (listed.output as agent.OpOutput<"container.list">).containers
            .filter((c) => c.state === "running" && c.deploymentId !== deploymentId)
            .map((c) => c.deploymentId ?? "");
        const git = await gitRepo.findGitSource(k, appId);
        if (git) {
          ctx.log.info(`building ${git.url} at ${git.ref}`);
          built = await buildFromGit(deps, node, app, git, deploymentId);
          spec.image = built.image;
          await repo.updateDeployment(k, deploymentId, {
            image: built.image,
            commit_sha: built.commit,
            image_id: built.imageId,
          });
        }
        if (rolling) {
          ctx.log.info(
            previous.length
              ? "zero-downtime redeploy: the previous container serves until the new one is healthy"
              : "no previous container: deploying",
          );
        } else {
          ctx.log.info(`removing the previous container of ${app.name}, if any (volumes kept)`);
          const removed = await node("container.action", { appId, action: "remove" });
          if (removed.status !== "ok")
            throw new PermanentError(removed.error?.message ?? "remove failed");
        }
        ctx.log.info(`deploying ${spec.image} as ${app.name}`);
        result = await node("container.deploy", { appId, deploymentId, name: app.name, spec });
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
        await failed(message);
        throw new PermanentError(message);
      }
      const out = result.output as agent.OpOutput<"container.deploy">;
      const { container } = out;
      await repo.updateApp(k, appId, { published: JSON.stringify(container.ports) });
      const web = container.ports.find((p) => p.protocol === "tcp");
      if (app.domain && web) {
        try {
          await routeToSite(deps, app, web.host, ctx.signal, (l) => ctx.log.info(l));
        } catch (err) {
          // the proxy still points at the old container: the new one goes, the old one stays
          const message = err instanceof Error ? err.message : String(err);
          await repo.updateApp(k, appId, { published: app.published });
          if (rolling && previous[0]) await node("container.retire", { appId, keep: previous[0] });
          await failed(message);
          throw new PermanentError(message);
        }
      }
      if (rolling && previous.length) {
        const retired = await node("container.retire", { appId, keep: deploymentId });
        if (retired.status === "ok")
          for (const c of (retired.output as agent.OpOutput<"container.retire">).removed)
            ctx.log.info(`retired the previous container ${c.name}`);
        else ctx.log.warn(`the previous container stays: ${retired.error?.message}`);
      }
      await k.transaction().execute(async (trx) => {
        await repo.updateDeployment(trx, deploymentId, {
          status: "succeeded",
          containers: JSON.stringify([container]),
          image_id: built?.imageId ?? out.imageId ?? null,
          finished_at: Date.now(),
        });
        await repo.updateApp(trx, appId, { status: "running", last_error: null });
        if (built) await gitRepo.updateGitSource(trx, appId, { last_commit: built.commit });
      });
      const ports = container.ports
        .map((p) => `${p.host}->${p.container}/${p.protocol}`)
        .join(", ");
      ctx.log.info(
        `${container.name} is ${container.health ?? "running"}${ports ? ` (${ports})` : ""}`,
      );
      return { container: container.name, ports: container.ports, commit: built?.commit ?? null };
    },
  };
}

export function registerAppTasks(registry: Registry, deps: Deps) {
  registry.register(deployTask(deps));
  registry.register(pruneTask(deps));
}
