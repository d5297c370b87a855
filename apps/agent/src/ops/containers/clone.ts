// The clone both git operations share (container.build, compose.build): the source checked
// again here, the repository's host checked under the node's outbound policy (build-git.ts),
// then git run from an argument array with `--` before the URL and the ref, a minimal
// environment (GIT_TERMINAL_PROMPT=0, no system or global config) and the credentials in that
// environment (GIT_CONFIG_* for the token's header; a deploy key file 0600 named by
// core.sshCommand), never in its arguments. The checkout lands in <root>/src; the caller
// removes <root> when done.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { OpInput } from "@steward/contracts/agent";
import { commitPattern, type GitRemote, parseGitUrl, refProblem } from "@steward/contracts/apps";
import { idPattern } from "@steward/contracts/validators";
import { type OpContext, OpFailure } from "../types.ts";
import { allowedAddresses, gitOptions, remoteUrl } from "./build-git.ts";

/** What a clone needs of either operation's input. */
export type CloneInput = Pick<
  OpInput<"container.build">,
  "appId" | "deploymentId" | "url" | "ref" | "token" | "privateKey" | "outbound"
>;

const GIT = "/usr/bin/git";

export const badInput = (what: string, why = "is not valid"): never => {
  throw new OpFailure("OP_INPUT_INVALID", `${what} ${why}`);
};

/** The source checked again (what bypassed the schema): the remote it names. */
export function recheckSource(input: CloneInput): GitRemote {
  if (!idPattern.test(input.appId) || !idPattern.test(input.deploymentId)) badInput("the app's id");
  const remote = parseGitUrl(input.url);
  if (typeof remote === "string") return badInput("url:", remote);
  const why = refProblem(input.ref);
  if (why) badInput("ref:", why);
  if (remote.kind === "https" && input.privateKey)
    badInput("a deploy key", "is for ssh remotes only");
  if (remote.kind === "ssh" && input.token) badInput("a token", "is for https remotes only");
  return remote;
}

/** Clones the ref into <root>/src (no .git kept in what is built); answers it and the commit. */
export async function checkout(
  ctx: OpContext,
  input: CloneInput,
  remote: GitRemote,
  root: string,
): Promise<{ work: string; commit: string }> {
  const c = ctx.config.containers;
  const addresses = await ctx.step(`check ${remote.host} under the outbound policy`, () =>
    allowedAddresses(ctx.config, remote, input),
  );
  const work = join(root, "src");
  const keyFile = input.privateKey ? join(root, "deploy-key") : null;
  const knownHosts = join(c.appsRoot, input.appId, ".known_hosts");
  await ctx.mkdir(join(c.appsRoot, input.appId), { mode: 0o755 });
  await ctx.mkdir(work, { mode: 0o700 });
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
  return { work, commit };
}

/** Packs `dir` (without .git) as the tar stream the engine's /build reads. */
export async function packContext(ctx: OpContext, dir: string, tar: string, what = "") {
  await ctx.exec(`pack the build context${what ? ` of ${what}` : ""}`, [
    "/bin/tar",
    "--exclude=./.git",
    "-C",
    dir,
    "-cf",
    tar,
    ".",
  ]);
}
