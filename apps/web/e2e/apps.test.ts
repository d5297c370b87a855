// The apps pages against a real panel, a real agent enrolled through the public endpoint and a
// hermetic Podman (testkit startPodman): the list with the app's state at a glance, its filters
// (nothing matching said so) and pages, the new quick service form refusing a hostile image (the
// field named), the app's page (write-only secret, live logs, stats) and the node's engine
// (disk usage, prune saying what it freed); passing axe. Screenshots in STEWARD_SHOTS.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentServer } from "@steward/agent";
import { HTTPD_IMAGE, type PodmanServer, startPodman } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { podmanNode } from "./apps-node.ts";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
let podman: PodmanServer | null = null;
let agent: AgentServer | null = null;
let dir = "";
let nodeId = "";
let appId = "";

describeConsole("the apps pages", { timeout: 180_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    timeout: 150_000,
    seed: async (run) => {
      podman = await startPodman();
      if (!podman) throw new Error("Podman is needed");
      dir = await mkdtemp(join(tmpdir(), "steward-e2e-apps-"));
      ({ nodeId, agent } = await podmanNode(run, podman, dir));
      const created = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { name: "Shop", slug: "shop" },
      });
      const account = created.body.id;
      // older apps, stopped, past the list's first page (rows as the panel keeps them)
      const spec = JSON.stringify({ env: {}, ports: [], volumes: [], restart: "no", limits: {} });
      for (let i = 0; i < 30; i++)
        runSql(
          run.panel,
          `insert into apps (id, account_id, node_id, name, runtime_name, image, spec, published,
            status, source, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, '[]', 'stopped',
            'image', ?, ?)`,
          `app_0000000000${String(i).padStart(16, "0")}`,
          account,
          nodeId,
          `older-${i}`,
          `older-${i}`,
          HTTPD_IMAGE,
          spec,
          Date.now() - 86_400_000 + i,
          Date.now() - 86_400_000 + i,
        );
      const app = await run.panel.api("POST", "/api/v1/apps", {
        key: run.key,
        body: {
          account,
          node: nodeId,
          image: HTTPD_IMAGE,
          name: "web",
          command: ["sh", "-c", "echo started as $ROLE; exec httpd -f -v -p 8080 -h /www"],
          env: [
            { key: "ROLE", value: "web" },
            { key: "API_TOKEN", value: "s3cr3t", secret: true },
          ],
          ports: [{ container: 8080 }],
          volumes: [{ source: "data", target: "/data" }],
          healthCheck: {
            command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
            intervalSeconds: 1,
          },
        },
      });
      if (app.status !== 201) throw new Error(JSON.stringify(app.body));
      appId = app.body.id;
      for (let i = 0; i < 600; i++) {
        const now = await run.panel.api("GET", `/api/v1/apps/${appId}`, { key: run.key });
        if (now.body.status === "running") break;
        if (now.body.status === "failed") throw new Error(now.body.lastError);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  });
  afterAll(async () => {
    await agent?.close(1000);
    await podman?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const { axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("lists the app running, refuses a hostile image by its field", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps`);
    await page.getByRole("link", { name: "web", exact: true }).waitFor();
    const table = page.getByRole("table", { name: "Apps" });
    await table.getByText("running", { exact: true }).waitFor();
    await axe();
    await shot("apps-list");
    await page.getByRole("button", { name: "New quick service" }).click();
    await page.getByLabel("Image").fill("busybox; rm -rf /");
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByText(/image/).first().waitFor();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("image");
    await shot("apps-new-refused");
  });

  it("filters the list in the URL and says when no app matches", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps?source=image&q=WE`);
    await page.getByRole("link", { name: "web", exact: true }).waitFor();
    await page.getByText("from an image · Shop").waitFor();
    await page.getByLabel("State").selectOption("stopped");
    await page.getByText("Nothing matches these filters.").waitFor();
    expect(new URL(page.url()).searchParams.get("status")).toBe("stopped");
    await axe();
    await shot("apps-list-nothing-matches");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByRole("link", { name: "web", exact: true }).waitFor();
    expect(new URL(page.url()).search).toBe("");
    // 31 apps: the newest 25, then the rest
    await page.getByText("Page 1").waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Page 2").waitFor();
    await page.getByRole("link", { name: "older-0", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "web", exact: true }).count()).toBe(0);
    await axe();
    await shot("apps-list-page-2");
  });

  it("shows the app: secret write-only, live logs, stats", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/apps/${appId}`);
    await page.getByText("(secret, write-only)").waitFor();
    await page.getByText(/started as web/).waitFor();
    await page.getByText(/^memory /).waitFor();
    expect(await page.content()).not.toContain("s3cr3t");
    await axe();
    await shot("app-detail");
    await page.getByRole("button", { name: "Remove" }).click();
    await page.getByText("Deletes the containers; keeps data.").waitFor();
    await shot("app-remove-confirm");
  });

  it("shows the node's engine and prunes", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/nodes/${nodeId}`);
    await page.getByRole("heading", { name: "Container engine" }).waitFor();
    await page.getByRole("button", { name: "Prune" }).click();
    await page.getByText(/^Freed /).waitFor();
    await axe();
    await shot("node-engine");
  });
});
