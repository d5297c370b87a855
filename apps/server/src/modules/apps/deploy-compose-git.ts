// The deploy task's first step for a git app whose repository holds a compose file
// (docs/apps.md, "From a git repository"): compose.build on the node (clone at the ref under
// the node's outbound policy, the file checked with the app's variables and the node's
// allowances, the `build:` services built), the commit recorded on the deployment, the answered
// file checked again here and its site's service chosen, then what compose.up is given.
import type { agent } from "@steward/contracts";
import { checkCompose, composeIssuesText } from "@steward/contracts/apps";
import { PermanentError } from "../../engine/types.ts";
import { AppError } from "../../lib/errors.ts";
import { nodePolicy } from "../nodes/outbound.ts";
import { findNode } from "../nodes/repo.ts";
import { type ComposeSpec, composeEnvOf, imagesOf, ingressOf } from "./compose-app.ts";
import { allowancesOf } from "./compose-repo.ts";
import type { DeployRun } from "./deploy-run.ts";
import type { GitSourceRow } from "./git-repo.ts";
import * as repo from "./repo.ts";

export interface GitCompose {
  /** the spec once deployed: the repository's file, its services and the site's service */
  spec: ComposeSpec;
  image: string;
  commit: string;
  input: { appId: string; project: string; file: string; allow: string[] };
}

export async function composeFromGit(
  run: DeployRun,
  stored: ComposeSpec,
  repoFile: string,
  git: GitSourceRow,
): Promise<GitCompose> {
  const { deps, ctx, app, deploymentId } = run;
  const k = deps.db.db;
  const node = await findNode(k, app.node_id);
  const allow = await allowancesOf(k, app.node_id);
  ctx.log.info(`building ${repoFile} of ${git.url} at ${git.ref}`);
  const result = await run.node("compose.build", {
    appId: app.id,
    deploymentId,
    url: git.url,
    ref: git.ref,
    compose: repoFile,
    env: composeEnvOf(app, stored, deps.secrets),
    allow,
    ...(git.token_sealed ? { token: deps.secrets.open(git.token_sealed) } : {}),
    ...(git.deploy_key_sealed ? { privateKey: deps.secrets.open(git.deploy_key_sealed) } : {}),
    ...(node ? { outbound: nodePolicy(deps.settings, node) } : {}),
  });
  if (result.status !== "ok")
    throw new PermanentError(result.error?.message ?? `the build answered ${result.status}`);
  const out = result.output as agent.OpOutput<"compose.build">;
  const image = out.built.map((b) => b.image).join(", ");
  await repo.updateDeployment(k, deploymentId, {
    ...(image ? { image: image.slice(0, 1000) } : {}),
    commit_sha: out.commit,
    image_id: out.built.map((b) => b.imageId).join(", ") || null,
  });
  // what the node answered is checked again here (it is `$`-escaped: no variables left)
  const checked = checkCompose(out.file, { env: {}, allow });
  if (!checked.ok)
    throw new PermanentError(`the compose file is refused: ${composeIssuesText(checked.issues)}`);
  let ingress: string | null;
  try {
    const wanted = stored.ingress;
    const kept = wanted && checked.stack.services.some((s) => s.name === wanted) ? wanted : null;
    ingress = ingressOf(checked.stack, app.domain, kept, "compose");
  } catch (err) {
    throw err instanceof AppError ? new PermanentError(err.message) : err;
  }
  return {
    spec: {
      ...stored,
      compose: out.source,
      services: checked.stack.services,
      volumes: checked.stack.volumes,
      ingress,
    },
    image: imagesOf(checked.stack.services),
    commit: out.commit,
    input: { appId: app.id, project: app.runtime_name, file: out.file, allow },
  };
}
