// container.build: an app's image from its git repository. The repository's host is resolved
// here and checked under the node's outbound policy (sites/upstream.ts's resolver and own
// endpoints); git then connects to exactly those addresses (https: http.curloptResolve; ssh:
// HostName), follows no redirect, runs no hook and speaks only https or ssh. git runs from an
// argument array with `--` before the URL and the ref, a minimal environment
// (GIT_TERMINAL_PROMPT=0, no system or global config) and the credentials in that environment
// (GIT_CONFIG_* for the token's header; a deploy key file 0600 named by core.sshCommand), never
// in its arguments. The checkout (without .git) goes to the engine's /build as a tar stream;
// the engine's output is logged line by line as it comes.
import { createReadStream } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { OpInput, OpOutput } from "@steward/contracts/agent";
import {
  commitPattern,
  dockerfilePath,
  type GitRemote,
  imageRefPattern,
  parseGitUrl,
  refProblem,
} from "@steward/contracts/apps";
import { idPattern } from "@steward/contracts/validators";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { allowedAddresses, gitOptions, remoteUrl } from "./build-git.ts";
import { type Engine, engineOf, expectStatus, q } from "./engine.ts";
import { APP_LABEL, DEPLOYMENT_LABEL } from "./list.ts";

type Input = OpInput<"container.build">;

const GIT = "/usr/bin/git";
const BUILD_TIMEOUT_MS = 15 * 60_000;
/** build output lines logged at most (the rest counted) */
const MAX_LOG_LINES = 5000;

function recheck(input: Input): GitRemote {
  const bad = (what: string, why = "is not valid") => {
    throw new OpFailure("OP_INPUT_INVALID", `${what} ${why}`);
  };
  if (!idPattern.test(input.appId) || !idPattern.test(input.deploymentId)) bad("the app's id");
  const remote = parseGitUrl(input.url);
  if (typeof remote === "string") return bad("url:", remote);
  const why = refProblem(input.ref);
  if (why) bad("ref:", why);
  if (!imageRefPattern.test(input.image)) bad("image");
  if (!dockerfilePath.safeParse(input.dockerfile).success) bad("dockerfile");
  if (remote.kind === "https" && input.privateKey) bad("a deploy key", "is for ssh remotes only");
  if (remote.kind === "ssh" && input.token) bad("a token", "is for https remotes only");
  return remote;
}

async function build(
  ctx: OpContext,
  engine: Engine,
  input: Input,
  tar: string,
): Promise<{ imageId: string }> {
  let imageId = "";
  let error = "";
  let lines = 0;
  const labels = JSON.stringify({
    [APP_LABEL]: input.appId,
    [DEPLOYMENT_LABEL]: input.deploymentId,
  });
  const path = `/build?${q({ t: input.image, dockerfile: input.dockerfile, rm: 1, forcerm: 1, labels })}`;
  const status = await ctx.step(`build ${input.image}`, () =>
    engine.stream(
      path,
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
    await engine.call("GET", `/images/${encodeURIComponent(input.image)}/json`),
    `inspect ${input.image}`,
  ) as { Id?: string };
  return { imageId: inspected.Id ?? imageId };
}

export const containerBuild: OpHandler<"container.build"> = {
  name: "container.build",
  async run(ctx, input): Promise<OpOutput<"container.build">> {
    const remote = recheck(input);
    const c = ctx.config.containers;
    const engine = engineOf(ctx.config);
    const addresses = await ctx.step(`check ${remote.host} under the outbound policy`, () =>
      allowedAddresses(ctx.config, remote, input),
    );
    const root = join(c.appsRoot, ".builds", input.deploymentId);
    const work = join(root, "src");
    const keyFile = input.privateKey ? join(root, "deploy-key") : null;
    const knownHosts = join(c.appsRoot, input.appId, ".known_hosts");
    await ctx.mkdir(join(c.appsRoot, input.appId), { mode: 0o755 });
    await ctx.mkdir(work, { mode: 0o700 });
    try {
      const env: Record<string, string> = {
        HOME: root,
        GIT_TERMINAL_PROMPT: "0",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_ASKPASS: "/bin/false",
        SSH_ASKPASS: "/bin/false",
      };
      if (input.token) {
        const basic = Buffer.from(`x-access-token:${input.token}`).toString("base64");
        Object.assign(env, {
          GIT_CONFIG_COUNT: "1",
          GIT_CONFIG_KEY_0: "http.extraHeader",
          GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
        });
      }
      if (keyFile && input.privateKey) {
        const pem = input.privateKey.endsWith("\n") ? input.privateKey : `${input.privateKey}\n`;
        await writeFile(keyFile, pem, { mode: 0o600 });
      }
      const git = gitOptions(ctx.config, remote, addresses, keyFile, knownHosts);
      const opts = { env, cwd: work, timeoutMs: 10 * 60_000 };
      await ctx.exec("git init", [GIT, ...git, "init", "-q", "--", work], opts);
      const fetched = await ctx.exec(
        `fetch ${input.ref}`,
        [
          GIT,
          ...git,
          "fetch",
          "--depth",
          "1",
          "--no-tags",
          "--no-recurse-submodules",
          "--",
          remoteUrl(remote, input.url),
          input.ref,
        ],
        { ...opts, allowFailure: true },
      );
      if (fetched.exitCode !== 0)
        throw new OpFailure(
          "GIT_FAILED",
          `git could not fetch ${input.ref} from ${remote.host}: ${fetched.stderr.trim().slice(-500)}`,
        );
      await ctx.exec("checkout", [GIT, ...git, "checkout", "-q", "--detach", "FETCH_HEAD"], opts);
      const commit = (
        await ctx.exec("read the commit", [GIT, ...git, "rev-parse", "HEAD"], opts)
      ).stdout.trim();
      if (!commitPattern.test(commit))
        throw new OpFailure("GIT_FAILED", "git did not name the commit it checked out");
      ctx.log("info", `checked out ${commit} (${input.ref})`);
      const tar = join(root, "context.tar");
      await ctx.exec("pack the build context", [
        "/bin/tar",
        "--exclude=./.git",
        "-C",
        work,
        "-cf",
        tar,
        ".",
      ]);
      const { imageId } = await ctx.phase("activate", () => build(ctx, engine, input, tar));
      ctx.changed();
      return { commit, imageId, image: input.image };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
