// Git apps whose repository holds a compose file, end to end on real components: the panel
// with its worker, an agent enrolled with a hermetic nginx and a hermetic Podman (the compose
// stack brought up by docker-compose), and a git server (git http-backend over HTTPS, a token
// required) the node's outbound policy allows by the test's explicit setting. A repository
// with a compose file (one service built from the repository's Dockerfile FROM testkit's
// busybox image, one plain service) deploys and serves through its site; a signed push
// redeploys it (the new commit recorded, the content changed), a pushed file that is refused
// leaves the running stack serving; a file with a forbidden option
// (privileged, the host's network, a build on the host's network, a build context outside the
// checkout), and a compose file that is a symlink leading outside the checkout, fail the
// deploy naming the key with nothing running; hostile compose paths are refused naming
// git.compose; removing the app takes its stack down.
import { execFile } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { BAD_REPO_PATHS } from "@steward/contracts/testing";
import { BUSYBOX_IMAGE, freePort, startGitServer, startNginx, startPodman } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const run = promisify(execFile);
const GIT_ADDRESS = "127.0.0.31";
const TOKEN = "glpat-composecompose0123";
const DOMAIN = "stack.git.test";
const [podman, git, nginx] = await Promise.all([
  startPodman(),
  startGitServer(GIT_ADDRESS),
  startNginx({ listen: "127.0.0.32" }),
]);
const appsRoot = await mkdtemp(join(tmpdir(), "steward-gitcompose-"));
const webPort = await freePort();

const composeFile = (extra = "") => `
services:
  web:
    build:
      context: ./web
      args:
        GREETING: \${GREETING}
    ports: ["${webPort}:8080"]
    stop_signal: SIGKILL
${extra}  worker:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "exec sleep 1000"]
    stop_signal: SIGKILL
`;
const dockerfile = `FROM ${BUSYBOX_IMAGE}
ARG GREETING
COPY index.html /www/index.html
RUN echo "$GREETING" > /www/greeting.txt
CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
`;

/** Commits a symlink `path` -> `target` on `branch` (testkit's commit writes plain files). */
async function commitSymlink(reposDir: string, branch: string, path: string, target: string) {
  const work = await mkdtemp(join(tmpdir(), "steward-gitcompose-link-"));
  const env = {
    PATH: "/usr/bin:/bin",
    HOME: work,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
  };
  const g = (args: string[]) => run("/usr/bin/git", args, { cwd: work, env });
  try {
    await g(["clone", "-q", "-b", "main", "--", join(reposDir, "stack.git"), "."]);
    await g(["checkout", "-q", "-b", branch]);
    await symlink(target, join(work, path));
    await g(["add", "--", path]);
    await g(["commit", "-q", "-m", "a symlink"]);
    await g(["push", "-q", "origin", branch]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe.skipIf(!podman || !git || !nginx)("git apps from a repository's compose file", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  let repo = "";
  let appId = "";
  let secret = "";
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string, want: "succeeded" | "failed" = "succeeded") => {
    const task = await settleTask(s, taskId, 180_000);
    expect(task.state, await taskLogText(s, taskId)).toBe(want);
  };
  const create = (gitExtra: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    account: w.a,
    node: node?.id ?? "",
    git: { url: repo, ref: "main", token: TOKEN, compose: "docker-compose.yml", ...gitExtra },
    env: [{ key: "GREETING", value: "hello from the build", secret: true }],
    ...extra,
  });
  const site = async (path = "/") => (await nginx?.request(DOMAIN, path))?.body ?? "";
  /** A push to main delivered to the app's webhook, signed. */
  const pushed = () => {
    const body = JSON.stringify({ ref: "refs/heads/main" });
    return fetch(`${s.url}/api/v1/apps/${appId}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    });
  };
  /** The engine's containers of an app, looked at past the code under test. */
  const containersOf = async (id: string) => {
    const filters = encodeURIComponent(JSON.stringify({ label: [`steward.app=${id}`] }));
    const r = await podman?.api("GET", `/containers/json?all=true&filters=${filters}`);
    return (r?.body ?? []) as { State: string; Image: string }[];
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    if (!git || !nginx) return;
    repo = await git.create("stack.git");
    await git.commit("stack.git", "main", {
      "docker-compose.yml": composeFile(),
      "web/Dockerfile": dockerfile,
      "web/index.html": "version one\n",
    });
    await git.commit("stack.git", "privileged", {
      "docker-compose.yml": composeFile("    privileged: true\n"),
    });
    await git.commit("stack.git", "hostnet", {
      "docker-compose.yml": composeFile("    network_mode: host\n"),
    });
    await git.commit("stack.git", "buildnet", {
      "docker-compose.yml": composeFile().replace(
        "context: ./web",
        "context: ./web\n      network: host",
      ),
    });
    await git.commit("stack.git", "outside", {
      "docker-compose.yml": composeFile().replace("context: ./web", "context: ../.."),
    });
    await commitSymlink(git.reposDir, "link", "linked.yml", "/etc/hostname");
    git.token = TOKEN;
    node = await enrollRealNode(s, w.keys.super, {
      name: "git-compose-node",
      nginx,
      agentJson: {
        containers: { engine: "podman", socket: podman?.socket, appsRoot, gitCaFile: git.caFile },
      },
    });
    const patched = await api(
      "PATCH",
      `/api/v1/nodes/${node.id}`,
      { outbound: { allowPrivate: false, allow: [`${GIT_ADDRESS}/32`] } },
      w.keys.super,
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await node?.close();
    await Promise.all([podman?.stop(), git?.stop(), nginx?.stop()]);
    await rm(appsRoot, { recursive: true, force: true });
  }, 60_000);

  it("refuses hostile compose paths and mixed sources naming the field, creating nothing", async () => {
    const count = async () =>
      (await api("GET", `/api/v1/apps?account=${w.a}`)).body.items.length as number;
    const before = await count();
    for (const compose of BAD_REPO_PATHS) {
      const r = await api("POST", "/api/v1/apps/git", create({ compose }));
      expect(r.status, compose).toBe(400);
      expect(JSON.stringify(r.body.error.details), compose).toContain("git.compose");
    }
    const both = await api("POST", "/api/v1/apps/git", create({ dockerfile: "Dockerfile" }));
    expect(both.status).toBe(400);
    expect(both.body.error.details[0]).toMatchObject({ field: "body.git.compose" });
    const ports = await api("POST", "/api/v1/apps/git", create({}, { ports: [{ container: 80 }] }));
    expect(ports.status).toBe(400);
    expect(ports.body.error.details[0]).toMatchObject({ field: "body.ports" });
    const ingress = await api("POST", "/api/v1/apps/git", create({}, { ingressService: "web" }));
    expect(ingress.status).toBe(400);
    expect(ingress.body.error.details[0]).toMatchObject({ field: "body.ingressService" });
    expect(await count()).toBe(before);
  });

  it("clones, builds the build: service, brings the stack up and serves it through its site", async () => {
    const res = await api("POST", "/api/v1/apps/git", create({}, { domain: DOMAIN }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "stack", source: "git", domain: DOMAIN });
    expect(res.body.git).toMatchObject({ compose: "docker-compose.yml", dockerfile: null });
    appId = res.body.id;
    secret = res.body.webhook.secret;
    await settled(res.body.taskId);
    const log = await taskLogText(s, res.body.taskId);
    expect(log).toContain("build: STEP");
    expect(log).not.toContain(TOKEN);
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(app.status).toBe("running");
    expect(app.git.lastCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(app.deployments[0]).toMatchObject({ status: "succeeded", commit: app.git.lastCommit });
    expect(app.deployments[0].image).toBe(
      `localhost/steward/${appId}-web:${app.deployments[0].id}`,
    );
    expect(app.compose).toMatchObject({
      ingressService: "web",
      services: [
        { name: "web", image: `localhost/steward/${appId}-web:${app.deployments[0].id}` },
        { name: "worker", image: BUSYBOX_IMAGE },
      ],
    });
    expect(app.compose.file).toContain("context: ./web");
    // its file is the repository's: changed by a push, not here
    const put = await api("PUT", `/api/v1/apps/${appId}/compose`, { compose: composeFile() });
    expect(put.status).toBe(409);
    expect(put.body.error.message).toContain("docker-compose.yml of its git repository");
    const running = await containersOf(appId);
    expect(running.map((c) => c.State).sort()).toEqual(["running", "running"]);
    expect(await site()).toBe("version one\n");
    expect(await site("/greeting.txt")).toBe("hello from the build\n");
  }, 240_000);

  it("redeploys a signed push: the new commit recorded, the new content served", async () => {
    const before = (await api("GET", `/api/v1/apps/${appId}`)).body.git.lastCommit;
    const commit = await git?.commit("stack.git", "main", { "web/index.html": "version two\n" });
    const r = await pushed();
    const out = (await r.json()) as { deployed: boolean; deploymentId: string };
    expect(r.status).toBe(202);
    expect(out.deployed).toBe(true);
    const deployment = (await api("GET", `/api/v1/apps/${appId}`)).body.deployments.find(
      (d: { id: string }) => d.id === out.deploymentId,
    );
    await settled(deployment.taskId);
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(app.git.lastCommit).toBe(commit);
    expect(app.git.lastCommit).not.toBe(before);
    expect(app.deployments[0]).toMatchObject({ trigger: "webhook", commit });
    expect(await site()).toBe("version two\n");
  }, 240_000);

  it("keeps the running stack when a pushed file is refused", async () => {
    await git?.commit("stack.git", "main", {
      "docker-compose.yml": composeFile("    privileged: true\n"),
    });
    const out = (await (await pushed()).json()) as { deploymentId: string };
    const before = (await api("GET", `/api/v1/apps/${appId}`)).body;
    const deployment = before.deployments.find((d: { id: string }) => d.id === out.deploymentId);
    await settled(deployment.taskId, "failed");
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(app.status).toBe("running");
    expect(app.lastError).toContain("services.web.privileged");
    expect(app.git.lastCommit).toBe(before.git.lastCommit);
    expect(await site()).toBe("version two\n");
  }, 240_000);

  it("removes the stack and its git source", async () => {
    const removed = await api("DELETE", `/api/v1/apps/${appId}?volumes=true`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(await containersOf(appId)).toEqual([]);
    expect((await api("GET", `/api/v1/apps/${appId}/webhook`)).status).toBe(404);
  }, 120_000);

  it("fails the deploy of a forbidden file, a context outside or a symlink out, nothing running", async () => {
    const cases = [
      { ref: "privileged", compose: "docker-compose.yml", field: "services.web.privileged" },
      { ref: "hostnet", compose: "docker-compose.yml", field: "services.web.network_mode" },
      { ref: "buildnet", compose: "docker-compose.yml", field: "services.web.build.network" },
      { ref: "outside", compose: "docker-compose.yml", field: "services.web.build.context" },
      { ref: "link", compose: "linked.yml", field: "compose: linked.yml leads outside" },
    ];
    for (const c of cases) {
      const res = await api(
        "POST",
        "/api/v1/apps/git",
        create({ ref: c.ref, compose: c.compose }, { name: `bad-${c.ref}` }),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await settled(res.body.taskId, "failed");
      const app = (await api("GET", `/api/v1/apps/${res.body.id}`)).body;
      expect(app.status).toBe("failed");
      expect(app.lastError, c.ref).toContain(c.field);
      expect(await containersOf(res.body.id)).toEqual([]);
    }
  }, 240_000);
});
