// compose.build: a git app whose repository holds a compose file (docs/apps.md, "From a git
// repository"). The repository is cloned as container.build clones it (clone.ts); the compose
// file is read from the checkout (its real path inside it: a symlink leading out is refused)
// and checked as a pasted stack is (the contracts' checkCompose, with the app's variables and
// what the node allows). Each service with `build:` is built through the engine's /build from
// its context (resolved from the file's directory, its real path inside the checkout), tagged
// localhost/steward/<app>-<service>:<deployment>; the answer is the file compose.up runs, those
// services on their built images. Nothing runs yet: a refused file or a failed build leaves
// the node's containers as they were.
import { readFile, realpath, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OpOutput } from "@steward/contracts/agent";
import {
  COMPOSE_MAX_CHARS,
  checkCompose,
  composeFilePath,
  composeIssuesText,
  dockerfilePath,
  renderCompose,
} from "@steward/contracts/apps";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { buildImage } from "./build.ts";
import { badInput, checkout, packContext, recheckSource } from "./clone.ts";
import { inside } from "./compose-up.ts";
import { engineOf } from "./engine.ts";

type Service = Record<string, unknown>;

const BUILD_KEYS = new Set(["context", "dockerfile", "args", "target"]);
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const refused = (path: string, why: string): never => {
  throw new OpFailure("OP_INPUT_INVALID", `the compose file is refused: ${path}: ${why}`);
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The real path of `path`, refused (naming `field`) unless it exists inside `root`. */
async function realInside(root: string, path: string, field: string, what: string) {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return refused(field, `${what} is not in the repository`);
  }
  if (!inside(root, real)) refused(field, `${what} leads outside the repository (a symlink)`);
  return real;
}

/** A service's `build:` as the engine's /build takes it; anything else is refused. */
function buildSpecOf(at: string, b: unknown) {
  const o = isObject(b) ? b : { context: b };
  for (const key of Object.keys(o))
    if (!BUILD_KEYS.has(key)) refused(`${at}.${key}`, "is not a key Steward builds with");
  const context = o.context ?? ".";
  if (typeof context !== "string") return refused(`${at}.context`, "must be a directory");
  const dockerfile = o.dockerfile ?? "Dockerfile";
  if (typeof dockerfile !== "string" || !dockerfilePath.safeParse(dockerfile).success)
    refused(`${at}.dockerfile`, "must be a relative path inside the build context");
  if (o.target !== undefined && (typeof o.target !== "string" || !TARGET.test(o.target)))
    refused(`${at}.target`, "must be a stage name (letters, digits, _ . -)");
  const args: Record<string, string> = {};
  const entries = Array.isArray(o.args)
    ? o.args.map((a) => String(a).split(/=(.*)/s).slice(0, 2) as [string, string | undefined])
    : Object.entries(isObject(o.args) ? o.args : {});
  if (o.args !== undefined && !Array.isArray(o.args) && !isObject(o.args))
    refused(`${at}.args`, "must be a mapping or a list of KEY=value");
  for (const [key, value] of entries) {
    if (!ARG_KEY.test(key))
      refused(`${at}.args.${key.slice(0, 40)}`, "is not a build argument name");
    if (value !== undefined && value !== null) args[key] = String(value);
  }
  return {
    context,
    dockerfile: dockerfile as string,
    args,
    target: o.target as string | undefined,
  };
}

/** The tag a service's image gets: lowercase, per app, service and deployment. */
const serviceImage = (appId: string, service: string, deploymentId: string) =>
  `localhost/steward/${appId.toLowerCase()}-${service.toLowerCase().replace(/[^a-z0-9-]/g, "-")}:${deploymentId}`;

async function readComposeFile(work: string, path: string): Promise<{ text: string; dir: string }> {
  const real = await realInside(work, join(work, path), "compose", path);
  const info = await stat(real);
  if (!info.isFile()) refused("compose", `${path} is not a file`);
  if (info.size > COMPOSE_MAX_CHARS)
    refused("compose", `${path} is larger than ${COMPOSE_MAX_CHARS} characters`);
  return { text: await readFile(real, "utf8"), dir: dirname(real) };
}

async function buildServices(
  ctx: OpContext,
  input: { appId: string; deploymentId: string },
  work: string,
  dir: string,
  root: string,
  services: Record<string, Service>,
) {
  const engine = engineOf(ctx.config);
  const built: OpOutput<"compose.build">["built"] = [];
  // every build checked before the first is started
  const plans = [];
  for (const [name, s] of Object.entries(services)) {
    if (s.build === undefined) continue;
    const at = `services.${name}.build`;
    const spec = buildSpecOf(at, s.build);
    const context = await realInside(work, join(dir, spec.context), at, spec.context);
    if (!(await stat(context)).isDirectory()) refused(at, `${spec.context} is not a directory`);
    plans.push({ name, s, spec, context });
  }
  for (const { name, s, spec, context } of plans) {
    const image = serviceImage(input.appId, name, input.deploymentId);
    const tar = join(root, `context-${built.length}.tar`);
    await packContext(ctx, context, tar, name);
    const { imageId } = await ctx.phase("activate", () =>
      buildImage(
        ctx,
        engine,
        {
          appId: input.appId,
          deploymentId: input.deploymentId,
          image,
          dockerfile: spec.dockerfile,
          ...(Object.keys(spec.args).length ? { buildargs: spec.args } : {}),
          ...(spec.target ? { target: spec.target } : {}),
        },
        tar,
      ),
    );
    delete s.build;
    delete s.pull_policy;
    s.image = image;
    built.push({ service: name, image, imageId });
  }
  return built;
}

export const composeBuild: OpHandler<"compose.build"> = {
  name: "compose.build",
  async run(ctx, input): Promise<OpOutput<"compose.build">> {
    const remote = recheckSource(input);
    if (!composeFilePath.safeParse(input.compose).success) badInput("compose:", "is not a path");
    const root = join(ctx.config.containers.appsRoot, ".builds", input.deploymentId);
    try {
      const checked = await checkout(ctx, input, remote, root);
      const work = await realpath(checked.work);
      const { text, dir } = await readComposeFile(work, input.compose);
      const result = checkCompose(text, { env: input.env, allow: input.allow });
      if (!result.ok)
        throw new OpFailure(
          "OP_INPUT_INVALID",
          `the compose file ${input.compose} is refused: ${composeIssuesText(result.issues)}`,
        );
      const doc = result.stack.document as { services: Record<string, Service> };
      const built = await buildServices(ctx, input, work, dir, root, doc.services);
      if (built.length) ctx.changed();
      return { commit: checked.commit, source: text, file: renderCompose(doc), built };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
