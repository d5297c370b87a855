// container.build and container.retire against a real Podman and a real git server (git
// http-backend over HTTPS, testkit): a branch and a commit cloned with a token that never
// travels in a URL, the Dockerfile built through the engine with its output in the log, the
// outbound policy refusing the loopback repository unless the test's policy allows it,
// hostile URLs and refs refused before git runs, and a build failure reported; compose.build
// (end to end in apps/server's git-compose.test.ts) rechecking its input before git runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpResult, operations } from "@steward/contracts/agent";
import { BAD_GIT_REFS, BAD_GIT_URLS } from "@steward/contracts/testing";
import {
  freePort,
  type GitServer,
  HTTPD_IMAGE,
  type PodmanServer,
  startGitServer,
  startPodman,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { handlerFor } from "../index.ts";

let engine: PodmanServer | null = null;
let git: GitServer | null = null;
let dir = "";
let config: AgentConfig;
let repo = "";
let firstCommit = "";

const LOOPBACK = { allowPrivate: false, allow: ["127.0.0.1/32"], deny: [], endpoints: [] };
const TOKEN = "ghp_test0123456789abcdef";

beforeAll(async () => {
  [engine, git] = await Promise.all([startPodman(), startGitServer()]);
  dir = mkdtempSync(join(tmpdir(), "steward-build-"));
  if (!engine || !git) return;
  const low = await freePort();
  config = parseConfig(dir, {
    nodeId: "node_test1",
    panelUrl: "https://127.0.0.1:1",
    containers: {
      engine: "podman",
      socket: engine.socket,
      appsRoot: join(dir, "apps"),
      portRange: [low, low + 5],
      gitCaFile: git.caFile,
    },
  });
  repo = await git.create("shop.git");
  firstCommit = await git.commit("shop.git", "main", {
    Dockerfile: `FROM ${HTTPD_IMAGE}\nCOPY index.html /www/index.html\nRUN echo built-by-steward\n`,
    "index.html": "version one\n",
  });
  await git.commit("shop.git", "main", { "index.html": "version two\n" });
  git.token = TOKEN;
}, 120_000);
afterAll(async () => {
  await Promise.all([engine?.stop(), git?.stop()]);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function op(name: keyof typeof operations, input: unknown): Promise<OpResult> {
  const handler = await handlerFor(name);
  if (!handler) throw new Error(`no handler for ${name}`);
  const logs: string[] = [];
  const r = await runOperation(handler, operations[name].input.parse(input), {
    config,
    requestId: "req",
    onLog: (line) => logs.push(line.message),
  });
  return Object.assign(r, { logs });
}

const build = (more: Record<string, unknown> = {}) => ({
  appId: "app_shop",
  deploymentId: "dep_one",
  url: repo,
  ref: "main",
  image: "localhost/steward/app_shop:dep_one",
  token: TOKEN,
  outbound: LOOPBACK,
  ...more,
});

async function serve(image: string): Promise<string> {
  const r = await op("container.deploy", {
    appId: "app_shop",
    deploymentId: "dep_x",
    name: "shop",
    spec: { image, ports: [{ container: 8080 }] },
    waitSeconds: 30,
  });
  const out = r.output as { container: { ports: { host: number }[] } };
  const port = out.container.ports[0]?.host;
  const text = await fetch(`http://127.0.0.1:${port}/`).then((x) => x.text());
  await op("container.action", { appId: "app_shop", action: "remove" });
  return text;
}

describe("container.build", () => {
  it("clones the branch with the token in a header and builds its Dockerfile, logging the build", async (t) => {
    if (!engine || !git) return t.skip();
    const r = (await op("container.build", build())) as OpResult & { logs: string[] };
    expect(r.error, JSON.stringify(r.error)).toBeUndefined();
    const out = r.output as { commit: string; imageId: string };
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(out.commit).not.toBe(firstCommit);
    expect(out.imageId).toMatch(/^(sha256:)?[0-9a-f]{64}$/);
    expect(r.logs.some((l) => l.includes("build: STEP") || l.includes("build: Step"))).toBe(true);
    expect(r.logs.join("\n")).toContain("built-by-steward");
    expect(r.logs.join("\n")).not.toContain(TOKEN);
    expect(JSON.stringify(r.steps)).not.toContain(TOKEN);
    expect(git.requests.some((q) => q.url.includes(TOKEN))).toBe(false);
    expect(git.requests.filter((q) => q.authorized).length).toBeGreaterThan(0);
    expect(await serve("localhost/steward/app_shop:dep_one")).toBe("version two\n");
  }, 120_000);

  it("checks out a commit", async (t) => {
    if (!engine || !git) return t.skip();
    const image = "localhost/steward/app_shop:dep_two";
    const r = await op(
      "container.build",
      build({ ref: firstCommit, image, deploymentId: "dep_two" }),
    );
    expect(r.error, JSON.stringify(r.error)).toBeUndefined();
    expect((r.output as { commit: string }).commit).toBe(firstCommit);
    expect(await serve(image)).toBe("version one\n");
  }, 120_000);

  it("refuses the loopback repository under the default policy, before git runs", async (t) => {
    if (!engine || !git) return t.skip();
    const before = git.requests.length;
    const r = await op("container.build", build({ outbound: undefined }));
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("GIT_FAILED");
    expect(r.error?.message).toContain("127.0.0.1 is a loopback address");
    expect(git.requests.length).toBe(before);
  });

  it("fails with git's words on a wrong token, and on a missing branch", async (t) => {
    if (!engine || !git) return t.skip();
    const wrong = await op("container.build", build({ token: "nope" }));
    expect(wrong.error?.code).toBe("GIT_FAILED");
    const branch = await op("container.build", build({ ref: "no-such-branch" }));
    expect(branch.error?.code).toBe("GIT_FAILED");
    expect(branch.error?.message).toContain("no-such-branch");
  });

  it("reports a failing build with the engine's words", async (t) => {
    if (!engine || !git) return t.skip();
    await git.commit("shop.git", "broken", {
      Dockerfile: `FROM ${HTTPD_IMAGE}\nCOPY missing.txt /www/\n`,
    });
    const r = await op("container.build", build({ ref: "broken" }));
    expect(r.error?.code).toBe("BUILD_FAILED");
    expect(r.error?.message).toContain("missing.txt");
  }, 60_000);

  it.each(BAD_GIT_URLS)("refuses the URL %j", (url) => {
    expect(operations["container.build"].input.safeParse(build({ url })).success).toBe(false);
  });
  it.each(BAD_GIT_REFS)("refuses the ref %j", (ref) => {
    expect(operations["container.build"].input.safeParse(build({ ref })).success).toBe(false);
  });

  it("checks again what bypassed the schema", async (t) => {
    if (!engine || !git) return t.skip();
    const handler = await handlerFor("container.build");
    if (!handler) throw new Error("no handler");
    for (const bad of [{ url: "ext::sh -c id" }, { ref: "--upload-pack=id" }]) {
      const r = await runOperation(
        handler,
        { ...build(), dockerfile: "Dockerfile", ...bad },
        {
          config,
          requestId: "req",
        },
      );
      expect(r.error?.code).toBe("OP_INPUT_INVALID");
    }
  });
});

describe("compose.build", () => {
  const composeBuild = (more: Record<string, unknown> = {}) => {
    const { image: _image, ...rest } = build({ deploymentId: "dep_stack" });
    return { ...rest, compose: "compose.yml", env: {}, allow: [], ...more };
  };

  it("checks again what bypassed the schema, before git runs", async (t) => {
    if (!engine || !git) return t.skip();
    const handler = await handlerFor("compose.build");
    if (!handler) throw new Error("no handler");
    const before = git.requests.length;
    for (const bad of [{ compose: "../compose.yml" }, { compose: "-x" }, { url: "ext::id" }]) {
      const r = await runOperation(handler, composeBuild(bad), { config, requestId: "req" });
      expect(r.error?.code, JSON.stringify(bad)).toBe("OP_INPUT_INVALID");
    }
    expect(git.requests.length).toBe(before);
  });

  it("refuses a repository without the compose file, naming it", async (t) => {
    if (!engine || !git) return t.skip();
    const r = await op("compose.build", composeBuild());
    expect(r.status).toBe("failed");
    expect(r.error?.message).toContain("compose: compose.yml is not in the repository");
  });
});

describe("container.retire", () => {
  it("removes every container of the app but the kept deployment's", async (t) => {
    if (!engine) return t.skip();
    const deploy = (deploymentId: string) =>
      op("container.deploy", {
        appId: "app_retire",
        deploymentId,
        name: "retire",
        spec: { image: HTTPD_IMAGE, ports: [{ container: 8080 }] },
        waitSeconds: 30,
      });
    expect((await deploy("dep_old")).status).toBe("ok");
    expect((await deploy("dep_new")).status).toBe("ok");
    const r = await op("container.retire", { appId: "app_retire", keep: "dep_new" });
    expect((r.output as { removed: { name: string }[] }).removed.map((x) => x.name)).toEqual([
      "retire",
    ]);
    const left = await op("container.list", { appId: "app_retire" });
    const list = (left.output as { containers: { deploymentId: string }[] }).containers;
    expect(list.map((c) => c.deploymentId)).toEqual(["dep_new"]);
    const none = await op("container.retire", { appId: "app_retire", keep: "dep_gone" });
    expect(none.error?.code).toBe("NOT_RUNNING");
  }, 120_000);
});
