// The deploy task's path for a compose stack (docs/apps.md, "Compose stacks"): the file checked
// again with the node's allowances (a git app's: cloned, checked and built on the node first,
// deploy-compose-git.ts), then compose.up, which replaces what changed in place. A
// redeploy of a stack that ran and that the node rolled back leaves the app `running` (the
// previous file's stack serves), the deployment failed.
import type { agent } from "@steward/contracts";
import { PermanentError } from "../../engine/types.ts";
import { type ComposeSpec, composeDeployInput } from "./compose-app.ts";
import { composeFromGit, type GitCompose } from "./deploy-compose-git.ts";
import { type DeployRun, logSteps, recordFailure } from "./deploy-run.ts";
import { routeToSite } from "./deploy-steps.ts";
import * as gitRepo from "./git-repo.ts";
import * as repo from "./repo.ts";

export async function deployCompose(run: DeployRun, stored: ComposeSpec) {
  const { deps, ctx, app, deploymentId } = run;
  const k = deps.db.db;
  let result: agent.OpResult;
  let compose = stored;
  let fromGit: GitCompose | null = null;
  let up = false;
  /** whether an earlier deployment of the app succeeded (its stack still serves) */
  const ranBefore = async () =>
    (await repo.deploymentsOf(k, app.id)).some(
      (d) => d.id !== deploymentId && d.status === "succeeded",
    );
  try {
    if (stored.repoFile) {
      const git = await gitRepo.findGitSource(k, app.id);
      if (!git) throw new PermanentError("the app's git source is gone");
      fromGit = await composeFromGit(run, stored, stored.repoFile, git);
      compose = fromGit.spec;
    }
    ctx.log.info(`bringing up the compose stack ${app.name}`);
    const input = fromGit?.input ?? (await composeDeployInput(k, app, compose, deps.secrets));
    up = true;
    result = await run.node("compose.up", input);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError) {
      // refused or not built before compose.up: the stack that ran is untouched
      const untouched = !up && (await ranBefore());
      if (untouched) ctx.log.warn("nothing was changed on the node: the previous stack serves");
      await recordFailure(run, untouched ? "running" : "failed", message, message);
    }
    throw err;
  }
  logSteps(run, result);
  if (result.status !== "ok") {
    const message = result.error?.message ?? `the node answered ${result.status}`;
    // a redeploy of a stack that ran: the node brought the previous file's stack back
    const restored = result.status === "rolled_back" && (await ranBefore());
    if (restored) ctx.log.warn("the node brought the previous stack back");
    await recordFailure(run, restored ? "running" : "failed", message, message);
    throw new PermanentError(message);
  }
  const { containers } = result.output as agent.OpOutput<"compose.up">;
  const published = containers.flatMap((c) => c.ports);
  // the stack's ports first: a site of the app's account may point at them from now on
  await repo.updateApp(k, app.id, { published: JSON.stringify(published) });
  if (app.domain) await serveThroughSite(run, compose, containers);
  await k.transaction().execute(async (trx) => {
    await repo.updateDeployment(trx, deploymentId, {
      status: "succeeded",
      containers: JSON.stringify(containers),
      finished_at: Date.now(),
    });
    await repo.updateApp(trx, app.id, { status: "running", last_error: null });
    if (fromGit) {
      // the file, services and site's service of the commit now running
      await repo.updateApp(trx, app.id, {
        spec: JSON.stringify(fromGit.spec),
        image: fromGit.image,
      });
      await gitRepo.updateGitSource(trx, app.id, { last_commit: fromGit.commit });
    }
  });
  for (const c of containers) {
    const ports = c.ports.map((p) => `${p.host}->${p.container}/${p.protocol}`).join(", ");
    ctx.log.info(`${c.name} is ${c.health ?? c.state}${ports ? ` (${ports})` : ""}`);
  }
  return { containers: containers.map((c) => c.name), ports: published };
}

/**
 * Points the app's site at its ingress service's published TCP port (docs/apps.md, "Ingress
 * through a site"). When it cannot, the stack stays up (its ports published as the node
 * said), the deployment fails with the site's words.
 */
async function serveThroughSite(
  run: DeployRun,
  compose: ComposeSpec,
  containers: agent.OpOutput<"compose.up">["containers"],
) {
  const { deps, ctx, app } = run;
  const wanted = compose.ingress ?? null;
  const port = containers
    .filter((c) => wanted === null || c.service === wanted)
    .flatMap((c) => c.ports)
    .find((p) => p.protocol === "tcp");
  try {
    if (!port)
      throw new PermanentError(
        `the service ${wanted ?? "(any)"} publishes no TCP port for the site ${app.domain}`,
      );
    await routeToSite(deps, app, port.host, ctx.signal, (l) => ctx.log.info(l));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await recordFailure(run, "failed", message, message);
    throw err instanceof PermanentError ? err : new PermanentError(message);
  }
}
