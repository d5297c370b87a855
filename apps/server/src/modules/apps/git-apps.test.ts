// Git deploys end to end on real components: the panel with its worker, an agent enrolled
// with a hermetic nginx and a hermetic Podman, and a git server (git http-backend over HTTPS,
// requiring a token) on its own loopback address, which the node's outbound policy allows by
// the test's explicit setting. An app made from the repository is cloned with the token
// (never in a URL or a log), built, run and served through its proxy site; another account's
// site may not point at its port; a signed push redeploys it with zero downtime (a client
// polls the site throughout), a replayed or unsigned delivery is refused, a redeploy whose
// health check fails rolls back with no failed request, hostile sources are refused naming
// their field with nothing created, and an ssh remote (OpenSSH with git-shell, testkit) is
// cloned with the app's deploy key once the repository authorizes it.
import { createHmac, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BAD_GIT_REFS, BAD_GIT_URLS } from "@steward/contracts/testing";
import {
  HTTPD_IMAGE,
  startGitServer,
  startGitSsh,
  startNginx,
  startPodman,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const GIT_ADDRESS = "127.0.0.7";
const TOKEN = "glpat-0123456789abcdefghij";
const DOMAIN = "shop.apps.test";
const [podman, git, nginx] = await Promise.all([
  startPodman(),
  startGitServer(GIT_ADDRESS),
  startNginx({ listen: "127.0.0.8" }),
]);
const sshd = git ? await startGitSsh(git) : null;
const appsRoot = await mkdtemp(join(tmpdir(), "steward-gitapps-"));

const dockerfile = (cmd = 'CMD ["/bin/sh", "-c", "exec httpd -f -p 8080 -h /www"]') =>
  `FROM ${HTTPD_IMAGE}\nCOPY index.html /www/index.html\n${cmd}\n`;

describe.skipIf(!podman || !git || !nginx)("apps from a git repository", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  let repo = "";
  let appId = "";
  let secret = "";
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string, want: "succeeded" | "failed" = "succeeded") => {
    const task = await settleTask(s, taskId, 120_000);
    expect(task.state, await taskLogText(s, taskId)).toBe(want);
  };
  const create = (extra: Record<string, unknown> = {}, gitExtra: Record<string, unknown> = {}) => ({
    account: w.a,
    node: node?.id ?? "",
    git: { url: repo, ref: "main", token: TOKEN, ...gitExtra },
    ports: [{ container: 8080 }],
    domain: DOMAIN,
    healthCheck: {
      command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
      intervalSeconds: 1,
      retries: 2,
    },
    ...extra,
  });
  const site = async () => (await nginx?.request(DOMAIN, "/"))?.body ?? "";
  const deliver = (body: string, o: { sig?: string; delivery?: string; event?: string } = {}) =>
    fetch(`${s.url}/api/v1/apps/${appId}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": o.event ?? "push",
        "x-github-delivery": o.delivery ?? randomUUID(),
        "x-hub-signature-256":
          o.sig ?? `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  /** Polls the site until stopped: every answer that is not the page counts as a failure. */
  const poll = () => {
    let stop = false;
    const seen: string[] = [];
    let failures = 0;
    const done = (async () => {
      while (!stop) {
        const text = await site().catch(() => "");
        if (text.startsWith("version")) seen.push(text.trim());
        else failures++;
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    return async () => {
      stop = true;
      await done;
      return { failures, seen: [...new Set(seen)] };
    };
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    if (!git || !nginx) return;
    repo = await git.create("shop.git");
    await git.commit("shop.git", "main", {
      Dockerfile: dockerfile(),
      "index.html": "version one\n",
    });
    git.token = TOKEN;
    node = await enrollRealNode(s, w.keys.super, {
      name: "git-node",
      nginx,
      agentJson: {
        containers: { engine: "podman", socket: podman?.socket, appsRoot, gitCaFile: git.caFile },
      },
    });
    // the test's explicit policy: the git server's loopback address, nothing else
    const patched = await api("PATCH", `/api/v1/nodes/${node.id}`, {
      outbound: { allowPrivate: false, allow: [`${GIT_ADDRESS}/32`] },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await node?.close();
    await sshd?.stop();
    await Promise.all([podman?.stop(), git?.stop(), nginx?.stop()]);
    await rm(appsRoot, { recursive: true, force: true });
  }, 60_000);

  it("refuses hostile sources naming the field, creating nothing", async () => {
    const count = async () =>
      (await api("GET", `/api/v1/apps?account=${w.a}`)).body.items.length as number;
    const before = await count();
    for (const url of BAD_GIT_URLS) {
      const r = await api("POST", "/api/v1/apps/git", create({}, { url }), w.keys.accountAdmin);
      expect(r.status, url).toBe(400);
      expect(JSON.stringify(r.body.error.details), url).toContain("git.url");
    }
    for (const ref of BAD_GIT_REFS) {
      const r = await api("POST", "/api/v1/apps/git", create({}, { ref }), w.keys.accountAdmin);
      expect(r.status, ref).toBe(400);
      expect(JSON.stringify(r.body.error.details), ref).toContain("git.ref");
    }
    const loopback = await api(
      "POST",
      "/api/v1/apps/git",
      create({}, { url: repo.replace(GIT_ADDRESS, "127.0.0.1") }),
      w.keys.accountAdmin,
    );
    expect(loopback.status).toBe(400);
    expect(loopback.body.error.message).toContain("git.url: 127.0.0.1 is a loopback address");
    const sshToken = await api(
      "POST",
      "/api/v1/apps/git",
      create({}, { url: `git@${GIT_ADDRESS}:shop.git` }),
      w.keys.accountAdmin,
    );
    expect(sshToken.status).toBe(400);
    expect(sshToken.body.error.details[0].field).toBe("git.token");
    const reader = await api("POST", "/api/v1/apps/git", create(), w.keys.reader);
    expect(reader.status).toBe(403);
    const stranger = await api("POST", "/api/v1/apps/git", create(), w.keys.otherAdmin);
    expect(stranger.status).toBe(404);
    expect(await count()).toBe(before);
  });

  it("clones with the token, builds, runs and serves the app through its site", async () => {
    await git?.commit("shop.git", "main", { "index.html": "version two\n" });
    const res = await api("POST", "/api/v1/apps/git", create(), w.keys.accountAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "shop", source: "git", domain: DOMAIN });
    expect(res.body.git).toMatchObject({ auth: "token", publicKey: null, ref: "main" });
    expect(res.body.webhook.url).toMatch(/\/api\/v1\/apps\/app_[0-9a-z]+\/webhook$/);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    appId = res.body.id;
    secret = res.body.webhook.secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await settled(res.body.taskId);
    const log = await taskLogText(s, res.body.taskId);
    expect(log).toContain("build: STEP");
    expect(log).not.toContain(TOKEN);
    expect(git?.requests.some((r) => r.url.includes(TOKEN))).toBe(false);
    const app = (await api("GET", `/api/v1/apps/${appId}`, undefined, w.keys.reader)).body;
    expect(app.status).toBe("running");
    expect(app.siteId).toMatch(/^site_/);
    const listed = (await api("GET", `/api/v1/apps?account=${w.a}`)).body.items;
    expect(listed.find((a: { id: string }) => a.id === appId)).toMatchObject({ source: "git" });
    expect(app.git.lastCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(app.deployments[0]).toMatchObject({
      status: "succeeded",
      commit: app.git.lastCommit,
      trigger: "manual",
      image: `localhost/steward/${appId}:${app.deployments[0].id}`,
    });
    expect(app.deployments[0].imageId).toMatch(/[0-9a-f]{64}/);
    expect(await site()).toBe("version two\n");
  }, 180_000);

  it("lets no other account's site point at the app's port", async () => {
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    const upstream = `http://127.0.0.1:${app.ports[0].host}`;
    const other = await api(
      "POST",
      "/api/v1/sites",
      { node: node?.id, account: w.b, kind: "proxy", domains: ["evil.apps.test"], upstream },
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe("upstream");
    expect(other.body.error.message).toContain("loopback address");
    const otherPort = await api(
      "POST",
      "/api/v1/sites",
      {
        node: node?.id,
        account: w.a,
        kind: "proxy",
        domains: ["near.apps.test"],
        upstream: `http://127.0.0.1:${app.ports[0].host + 1}`,
      },
      w.keys.accountAdmin,
    );
    expect(otherPort.status).toBe(400);
  });

  it("shows the webhook to the app's admins only", async () => {
    const shown = await api("GET", `/api/v1/apps/${appId}/webhook`, undefined, w.keys.accountAdmin);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ secret, contentType: "application/json", events: ["push"] });
    expect(
      (await api("GET", `/api/v1/apps/${appId}/webhook`, undefined, w.keys.reader)).status,
    ).toBe(403);
    expect(
      (await api("GET", `/api/v1/apps/${appId}/webhook`, undefined, w.keys.otherAdmin)).status,
    ).toBe(404);
  });

  it("refuses unsigned, badly signed and replayed deliveries; ignores other branches", async () => {
    const push = JSON.stringify({ ref: "refs/heads/main" });
    expect((await deliver(push, { sig: "" })).status).toBe(401);
    expect((await deliver(push, { sig: `sha256=${"0".repeat(64)}` })).status).toBe(401);
    const other = `${push} `;
    const forged = `sha256=${createHmac("sha256", secret).update(push).digest("hex")}`;
    expect((await deliver(other, { sig: forged })).status).toBe(401);
    const branch = await deliver(JSON.stringify({ ref: "refs/heads/dev" }));
    expect(branch).toMatchObject({ status: 202, body: { deployed: false } });
    const ping = await deliver("{}", { event: "ping" });
    expect(ping).toMatchObject({ status: 202, body: { deployed: false } });
    const delivery = randomUUID();
    const once = await deliver(JSON.stringify({ ref: "refs/heads/dev" }), { delivery });
    expect(once.status).toBe(202);
    const replay = await deliver(JSON.stringify({ ref: "refs/heads/dev" }), { delivery });
    expect(replay.status).toBe(409);
    const bad = await deliver(push, { delivery: "x\ny" }).catch(() => ({ status: 400 }));
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${s.url}/api/v1/apps/app_nope/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: push,
    });
    expect(unknown.status).toBe(404);
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(app.deployments).toHaveLength(1);
  });

  it("redeploys a signed push with zero downtime", async () => {
    await git?.commit("shop.git", "main", { "index.html": "version three\n" });
    const stop = poll();
    const pushed = await deliver(JSON.stringify({ ref: "refs/heads/main" }));
    expect(pushed.status).toBe(202);
    expect(pushed.body.deployed).toBe(true);
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    const deployment = app.deployments.find(
      (d: { id: string }) => d.id === pushed.body.deploymentId,
    );
    expect(deployment.trigger).toBe("webhook");
    await settled(deployment.taskId);
    await new Promise((r) => setTimeout(r, 300));
    const polled = await stop();
    expect(polled.failures).toBe(0);
    expect(polled.seen).toEqual(["version two", "version three"]);
    const containers = await api("GET", `/api/v1/nodes/${node?.id}/containers`);
    const mine = containers.body.items.filter((c: { appId: string }) => c.appId === appId);
    expect(mine.map((c: { deploymentId: string }) => c.deploymentId)).toEqual([
      pushed.body.deploymentId,
    ]);
  }, 180_000);

  it("rolls back a redeploy whose health check fails, with no failed request", async () => {
    const before = (await api("GET", `/api/v1/apps/${appId}`)).body;
    await git?.commit("shop.git", "main", {
      Dockerfile: dockerfile('CMD ["/bin/sh", "-c", "exec httpd -f -p 9090 -h /www"]'),
      "index.html": "version broken\n",
    });
    const stop = poll();
    const redeploy = await api(
      "POST",
      `/api/v1/apps/${appId}/deploy`,
      undefined,
      w.keys.accountAdmin,
    );
    expect(redeploy.status).toBe(202);
    await settled(redeploy.body.taskId, "failed");
    const polled = await stop();
    expect(polled.failures).toBe(0);
    expect(polled.seen).toEqual(["version three"]);
    const app = (await api("GET", `/api/v1/apps/${appId}`)).body;
    expect(app.status).toBe("running");
    expect(app.lastError).toContain("the previous deployment keeps serving");
    expect(app.git.lastCommit).toBe(before.git.lastCommit);
    expect(app.deployments[0].status).toBe("failed");
    const running = (await api("GET", `/api/v1/nodes/${node?.id}/containers`)).body.items.filter(
      (c: { appId: string }) => c.appId === appId,
    );
    expect(running.map((c: { image: string }) => c.image)).toEqual([before.deployments[0].image]);
    expect(await site()).toBe("version three\n");
  }, 180_000);

  it("clones an ssh remote with the app's deploy key once the repository lets it in", async () => {
    if (!sshd) return;
    await git?.commit("shop.git", "main", {
      Dockerfile: dockerfile(),
      "index.html": "version ssh\n",
    });
    const res = await api(
      "POST",
      "/api/v1/apps/git",
      create({ domain: undefined }, { url: sshd.url("shop.git"), token: undefined }),
      w.keys.accountAdmin,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.git.auth).toBe("key");
    expect(res.body.git.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ steward-app_/);
    expect(JSON.stringify(res.body)).not.toContain("PRIVATE KEY");
    // not yet a deploy key of the repository: refused, said, nothing left behind
    await settled(res.body.taskId, "failed");
    const refused = (await api("GET", `/api/v1/apps/${res.body.id}`)).body;
    expect(refused.status).toBe("failed");
    expect(refused.lastError).toContain("git could not fetch main");
    expect(refused.lastError).toContain("Permission denied");
    sshd.authorize(res.body.git.publicKey);
    const again = await api(
      "POST",
      `/api/v1/apps/${res.body.id}/deploy`,
      undefined,
      w.keys.accountAdmin,
    );
    await settled(again.body.taskId);
    const app = (await api("GET", `/api/v1/apps/${res.body.id}`)).body;
    expect(app.status).toBe("running");
    expect(app.git.lastCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(sshd.logins()).toBe(1);
    const port = app.ports[0].host;
    expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).toBe("version ssh\n");
    const knownHosts = await readFile(join(appsRoot, res.body.id, ".known_hosts"), "utf8");
    // trusted on first use, under the remote's name (the app's own file: one remote)
    expect(knownHosts).toMatch(new RegExp(`^${GIT_ADDRESS.replaceAll(".", "\\.")} ssh-ed25519 `));
  }, 180_000);
});
