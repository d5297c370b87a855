// The parts of an app's deploy task beyond running a container (tasks.ts): building a git
// app's image on its node (container.build, its output in the task's log), and ingress through
// a site: the app's first published port becomes the upstream of a proxy site made (or
// changed) through the sites module's service, as any site is, waiting for that site's apply
// before the deploy goes on (a zero-downtime switch retires the old container only once the
// proxy points at the new one).
import type { agent } from "@steward/contracts";
import { siteCreate } from "@steward/contracts";
import { type Ctx, systemActor } from "../../access/types.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { PermanentError } from "../../engine/types.ts";
import { nodePolicy } from "../nodes/outbound.ts";
import { findNode } from "../nodes/repo.ts";
import type { createSitesService } from "../sites/service.ts";
import type { UpstreamSettings } from "../sites/upstream.ts";
import { findTask } from "../tasks/repo.ts";
import type { GitSourceRow } from "./git-repo.ts";
import * as repo from "./repo.ts";

type SitesService = ReturnType<typeof createSitesService>;

export interface StepDeps {
  db: Db;
  secrets: Secrets;
  settings: UpstreamSettings;
  sites: () => SitesService;
}

type Call = (name: agent.OperationName, input: unknown) => Promise<agent.OpResult>;

/** Builds the app's image at its ref on its node; answers the image, commit and image id. */
export async function buildFromGit(
  deps: StepDeps,
  call: Call,
  app: repo.AppRow,
  git: GitSourceRow,
  deploymentId: string,
): Promise<agent.OpOutput<"container.build">> {
  const node = await findNode(deps.db.db, app.node_id);
  const result = await call("container.build", {
    appId: app.id,
    deploymentId,
    url: git.url,
    ref: git.ref,
    dockerfile: git.dockerfile,
    image: `${app.image}:${deploymentId}`,
    ...(git.token_sealed ? { token: deps.secrets.open(git.token_sealed) } : {}),
    ...(git.deploy_key_sealed ? { privateKey: deps.secrets.open(git.deploy_key_sealed) } : {}),
    ...(node ? { outbound: nodePolicy(deps.settings, node) } : {}),
  });
  if (result.status !== "ok")
    throw new PermanentError(result.error?.message ?? `the build answered ${result.status}`);
  return result.output as agent.OpOutput<"container.build">;
}

const TASK_WAIT_MS = 5 * 60_000;

/** Waits for a task of another module to finish; its error when it did not succeed. */
async function settled(
  deps: StepDeps,
  taskId: string,
  signal: AbortSignal,
): Promise<string | null> {
  const until = Date.now() + TASK_WAIT_MS;
  while (Date.now() < until && !signal.aborted) {
    const t = await findTask(deps.db.db, taskId);
    if (!t) return null;
    if (t.state === "succeeded") return null;
    if (t.state === "failed" || t.state === "cancelled")
      return t.last_error ?? `the site's task ${t.state}`;
    await new Promise((r) => setTimeout(r, 250));
  }
  return "the site's task did not finish in time";
}

/**
 * Points the app's site at `hostPort` on the node (made on the first deploy), and waits until
 * the node serves it. Throws with the site's words when it cannot.
 */
export async function routeToSite(
  deps: StepDeps,
  app: repo.AppRow,
  hostPort: number,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<string> {
  const ctx: Ctx = { actor: systemActor("app.ingress"), grants: [], ip: null, requestId: null };
  const upstream = `http://127.0.0.1:${hostPort}`;
  const domain = app.domain ?? "";
  let siteId: string;
  let taskId: string | null;
  if (app.site_id) {
    siteId = app.site_id;
    log(`switching the site ${domain} to ${upstream}`);
    taskId = (await deps.sites().update(ctx, siteId, { upstream })).taskId;
  } else {
    log(`making the proxy site ${domain} -> ${upstream}`);
    const input = siteCreate.parse({
      node: app.node_id,
      account: app.account_id,
      kind: "proxy",
      domains: [domain],
      upstream,
    });
    const site = await deps.sites().create(ctx, input);
    siteId = site.id;
    taskId = site.taskId;
    await repo.updateApp(deps.db.db, app.id, { site_id: siteId });
  }
  const why = taskId ? await settled(deps, taskId, signal) : null;
  if (why) throw new PermanentError(`the site ${domain} did not switch to ${upstream}: ${why}`);
  log(`the site ${domain} serves ${upstream}`);
  return siteId;
}
