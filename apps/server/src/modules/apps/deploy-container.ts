// The deploy task's path for an image or git app: a git app's image is built on the node first
// (container.build). When every port of the app lets the agent pick its host port, the deploy
// is a zero-downtime one: the new container starts beside the old one (on another host port),
// and only once it is healthy does the app's site switch to it and the old one go
// (container.retire); a new container that is not healthy is removed and the old one keeps
// serving (the deployment failed, the app still running its previous image). With a fixed host
// port the previous container is removed first (its volumes kept).
import type { agent } from "@steward/contracts";
import type { ContainerSpec } from "@steward/contracts/apps";
import { PermanentError } from "../../engine/types.ts";
import { type DeployRun, logSteps, recordFailure } from "./deploy-run.ts";
import { buildFromGit, routeToSite } from "./deploy-steps.ts";
import * as gitRepo from "./git-repo.ts";
import * as repo from "./repo.ts";

export async function deployContainer(run: DeployRun, spec: ContainerSpec) {
  const { deps, ctx, app, deploymentId, node } = run;
  const k = deps.db.db;
  const appId = app.id;
  // zero downtime when the agent picks every host port: the new container beside the old
  const rolling = spec.ports.every((p) => p.host === undefined);
  let previous: string[] = [];
  const failed = async (message: string) => {
    const keeps = rolling && previous.length > 0;
    if (keeps)
      await recordFailure(
        run,
        "running",
        message,
        `the redeploy failed (${message}); the previous deployment keeps serving`,
      );
    else await recordFailure(run, "failed", message, message);
    if (keeps) ctx.log.warn("rolled back: the previous deployment keeps serving");
  };
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
    result = await node("container.deploy", {
      appId,
      deploymentId,
      name: app.runtime_name,
      spec,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError)
      await failed(message);
    throw err;
  }
  logSteps(run, result);
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
  const ports = container.ports.map((p) => `${p.host}->${p.container}/${p.protocol}`).join(", ");
  ctx.log.info(
    `${container.name} is ${container.health ?? "running"}${ports ? ` (${ports})` : ""}`,
  );
  return { container: container.name, ports: container.ports, commit: built?.commit ?? null };
}
