// An app from a git repository through the console, against a real panel, a real agent with a
// hermetic Podman, and a git server over HTTPS requiring a token (testkit), allowed by the
// node's outbound policy as the test sets it: "New from git" refusing a hostile URL by its
// field, then building the repository and showing the webhook's secret once; the app's page
// with its source, the commit it runs, and the deployment's build log inline; a repository's
// compose file chosen in the same form ("Build with"), its stack built and shown; passing axe.
// Screenshots in STEWARD_SHOTS.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentServer, enroll, loadConfig, startAgent } from "@steward/agent";
import {
  BUSYBOX_IMAGE,
  freePort,
  type GitServer,
  HTTPD_IMAGE,
  type PodmanServer,
  startGitServer,
  startPodman,
} from "@steward/testkit";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const TOKEN = "ghp_console_0123456789";
let podman: PodmanServer | null = null;
let git: GitServer | null = null;
let agent: AgentServer | null = null;
let dir = "";
let repo = "";
let stackRepo = "";

describeConsole("an app from a git repository", { timeout: 240_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    timeout: 150_000,
    seed: async (run) => {
      [podman, git] = await Promise.all([startPodman(), startGitServer("127.0.0.9")]);
      if (!podman || !git) throw new Error("Podman and git are needed");
      repo = await git.create("shop.git");
      await git.commit("shop.git", "main", {
        Dockerfile: `FROM ${HTTPD_IMAGE}\nCOPY index.html /www/index.html\n`,
        "index.html": "built from git\n",
      });
      stackRepo = await git.create("stack.git");
      await git.commit("stack.git", "main", {
        "compose.yml": [
          "services:",
          "  web:",
          "    build: ./web",
          `    ports: ["${await freePort()}:8080"]`,
          "    stop_signal: SIGKILL",
          "  worker:",
          `    image: ${BUSYBOX_IMAGE}`,
          '    command: ["sh", "-c", "exec sleep 1000"]',
          "    stop_signal: SIGKILL",
          "",
        ].join("\n"),
        "web/Dockerfile": `FROM ${BUSYBOX_IMAGE}\nCOPY index.html /www/index.html\nCMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
        "web/index.html": "a stack built from git\n",
      });
      git.token = TOKEN;
      dir = await mkdtemp(join(tmpdir(), "steward-e2e-git-"));
      const port = await freePort();
      const node = await run.panel.api("POST", "/api/v1/nodes", {
        key: run.key,
        body: { name: "git-node", agentUrl: `https://127.0.0.1:${port}` },
      });
      const nodeId = node.body.id;
      const token = await run.panel.api("POST", `/api/v1/nodes/${nodeId}/enrollment-token`, {
        key: run.key,
      });
      const agentDir = join(dir, "agent");
      await enroll({
        panel: run.panel.url.replace("localhost", "127.0.0.1"),
        token: token.body.token,
        dir: agentDir,
        listen: `127.0.0.1:${port}`,
      });
      const file = join(agentDir, "agent.json");
      const json = JSON.parse(await readFile(file, "utf8"));
      json.systemd = false;
      json.containers = {
        engine: "podman",
        socket: podman.socket,
        appsRoot: join(dir, "apps"),
        gitCaFile: git.caFile,
      };
      await writeFile(file, JSON.stringify(json), { mode: 0o600 });
      agent = await startAgent(loadConfig(agentDir), { logger: pino({ level: "silent" }) });
      // the test's explicit policy: the git server's loopback address
      await run.panel.api("PATCH", `/api/v1/nodes/${nodeId}`, {
        key: run.key,
        body: { outbound: { allowPrivate: false, allow: ["127.0.0.9/32"] } },
      });
      await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { name: "Shop", slug: "shop" },
      });
    },
  });
  afterAll(async () => {
    await agent?.close(1000);
    await Promise.all([podman?.stop(), git?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const { axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("refuses a hostile URL by its field, builds the repository, shows the webhook once", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps`);
    await page.getByRole("button", { name: "New from git" }).click();
    // the node is chosen once the nodes are read (slower under load)
    await expect.poll(() => page.getByLabel("Node", { exact: true }).inputValue()).not.toBe("");
    await page.getByLabel("Repository").fill("ext::sh -c id");
    await page.getByLabel("Ports").fill("8080");
    await page.getByRole("button", { name: "Build and deploy" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("git.url");
    await axe();
    await shot("app-git-refused");
    await page.getByLabel("Repository").fill(repo);
    await page.getByLabel("Access token").fill(TOKEN);
    await page.getByLabel("Health check").fill("wget -q -O /dev/null http://127.0.0.1:8080/");
    await page.getByRole("button", { name: "Build and deploy" }).click();
    await page.getByText("Webhook secret").waitFor();
    expect(await page.getByText(/^[0-9a-f]{64}$/).count()).toBe(1);
    expect(await page.content()).not.toContain(TOKEN);
    await axe();
    await shot("app-git-created");
  });

  it("shows the app's source, the commit it runs and the build log", async () => {
    const page = ui.page;
    await page.getByRole("link", { name: "Open shop" }).click();
    await page.getByText("Source and ingress").waitFor();
    await page.getByText("running", { exact: true }).first().waitFor({ timeout: 120_000 });
    // its containers run before its deployment ends (a site pointed at them, on a loaded
    // machine many seconds later): the commit shows when the deployment has ended
    await page.getByText(/^[0-9a-f]{40}$/).waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Build log" }).first().click();
    await page
      .getByText(/build: STEP/)
      .first()
      .waitFor();
    await page.getByRole("button", { name: "Show the webhook secret" }).click();
    await page.getByText(/^secret [0-9a-f]{64}$/).waitFor();
    expect(await page.content()).not.toContain(TOKEN);
    await axe();
    await shot("app-git-detail");
  });

  it("builds a repository's compose file chosen in the form and shows its stack", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps`);
    await page.getByRole("button", { name: "New from git" }).click();
    await expect.poll(() => page.getByLabel("Node", { exact: true }).inputValue()).not.toBe("");
    await page.getByLabel("Build with").selectOption("compose");
    expect(await page.getByLabel("Compose file").inputValue()).toBe("docker-compose.yml");
    expect(await page.getByLabel("Ports").count()).toBe(0);
    await page.getByLabel("Compose file").fill("../compose.yml");
    await page.getByLabel("Repository").fill(stackRepo);
    await page.getByLabel("Access token").fill(TOKEN);
    await page.getByRole("button", { name: "Build and deploy" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("git.compose");
    await shot("app-git-compose-refused");
    await page.getByLabel("Compose file").fill("compose.yml");
    await page.getByRole("button", { name: "Build and deploy" }).click();
    await page.getByText("Webhook secret").waitFor();
    await axe();
    await page.getByRole("link", { name: "Open stack" }).click();
    await page.getByText("Source and ingress").waitFor();
    await page.getByText("running", { exact: true }).first().waitFor({ timeout: 120_000 });
    // its containers run before its deployment ends (a site pointed at them, on a loaded
    // machine many seconds later): the commit shows when the deployment has ended
    await page.getByText(/^[0-9a-f]{40}$/).waitFor({ timeout: 120_000 });
    await page.getByText("Compose stack").waitFor();
    await page
      .getByText(/^localhost\/steward\/app_\w+-web:/)
      .first()
      .waitFor();
    expect(await page.getByRole("button", { name: "Edit the file" }).count()).toBe(0);
    expect(await page.content()).not.toContain(TOKEN);
    await axe();
    await shot("app-git-compose-detail");
  });
});
