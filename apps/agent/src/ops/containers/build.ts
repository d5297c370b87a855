// container.build: an app's image from its git repository. The repository is cloned at the
// ref under the node's outbound policy (clone.ts: the remote's host resolved here and checked,
// git connecting to exactly those addresses, no redirect, no hook, only https or ssh, the
// credentials in git's environment). The checkout (without .git) goes to the engine's /build
// as a tar stream; the engine's output is logged line by line as it comes (`buildImage`, which
// compose.build uses for each service it builds).
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { OpOutput } from "@steward/contracts/agent";
import { dockerfilePath, imageRefPattern } from "@steward/contracts/apps";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { badInput, checkout, packContext, recheckSource } from "./clone.ts";
import { type Engine, engineOf, expectStatus, q } from "./engine.ts";
import { APP_LABEL, DEPLOYMENT_LABEL } from "./list.ts";

const BUILD_TIMEOUT_MS = 15 * 60_000;
/** build output lines logged at most (the rest counted) */
const MAX_LOG_LINES = 5000;

/** One image to build from a packed context. */
export interface BuildSpec {
  appId: string;
  deploymentId: string;
  /** the tag it gets */
  image: string;
  /** relative to the context */
  dockerfile: string;
  buildargs?: Record<string, string>;
  target?: string;
}

/** Builds `tar` through the engine's /build, its output in the log; answers the image's id. */
export async function buildImage(
  ctx: OpContext,
  engine: Engine,
  spec: BuildSpec,
  tar: string,
): Promise<{ imageId: string }> {
  let imageId = "";
  let error = "";
  let lines = 0;
  const labels = JSON.stringify({
    [APP_LABEL]: spec.appId,
    [DEPLOYMENT_LABEL]: spec.deploymentId,
  });
  const query = {
    t: spec.image,
    dockerfile: spec.dockerfile,
    rm: 1,
    forcerm: 1,
    labels,
    ...(spec.buildargs ? { buildargs: JSON.stringify(spec.buildargs) } : {}),
    ...(spec.target ? { target: spec.target } : {}),
  };
  const status = await ctx.step(`build ${spec.image}`, () =>
    engine.stream(
      `/build?${q(query)}`,
      createReadStream(tar),
      "application/x-tar",
      (line) => {
        let msg: { stream?: string; error?: string; aux?: { ID?: string } };
        try {
          msg = JSON.parse(line);
        } catch {
          msg = { stream: line };
        }
        if (msg.aux?.ID) imageId = msg.aux.ID;
        if (msg.error) error = msg.error.trim().slice(0, 1000);
        for (const text of (msg.stream ?? msg.error ?? "").split("\n")) {
          if (!text.trim()) continue;
          if (++lines <= MAX_LOG_LINES) ctx.log(msg.error ? "error" : "info", `build: ${text}`);
        }
      },
      BUILD_TIMEOUT_MS,
    ),
  );
  if (lines > MAX_LOG_LINES)
    ctx.log("warn", `build: ${lines - MAX_LOG_LINES} more lines not logged`);
  if (status !== 200 || error)
    throw new OpFailure("BUILD_FAILED", `the build failed: ${error || `HTTP ${status}`}`);
  const inspected = expectStatus(
    await engine.call("GET", `/images/${encodeURIComponent(spec.image)}/json`),
    `inspect ${spec.image}`,
  ) as { Id?: string };
  return { imageId: inspected.Id ?? imageId };
}

export const containerBuild: OpHandler<"container.build"> = {
  name: "container.build",
  async run(ctx, input): Promise<OpOutput<"container.build">> {
    const remote = recheckSource(input);
    if (!imageRefPattern.test(input.image)) badInput("image");
    if (!dockerfilePath.safeParse(input.dockerfile).success) badInput("dockerfile");
    const engine = engineOf(ctx.config);
    const root = join(ctx.config.containers.appsRoot, ".builds", input.deploymentId);
    try {
      const { work, commit } = await checkout(ctx, input, remote, root);
      const tar = join(root, "context.tar");
      await packContext(ctx, work, tar);
      const { imageId } = await ctx.phase("activate", () =>
        buildImage(ctx, engine, { ...input, dockerfile: input.dockerfile }, tar),
      );
      ctx.changed();
      return { commit, imageId, image: input.image };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
