// The agent's upgrade in the console against a real panel serving the real single-file agent
// build (npm run build:agent, reused while unchanged) and a real agent enrolled from this test
// (`steward agent` from the sources, as in development). The nodes list marks the node whose
// agent is behind the panel's version; a node's Agent card shows both versions and "Upgrade
// agent", whose confirmation names the node and both versions; confirming queues the
// node.agent-upgrade task and shows it with its live log (an agent from the sources refuses
// to replace itself, in words). The page passes axe. The upgrade of the single-file agent
// itself, with its rollback, is apps/cli/src/agent-install.e2e.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentServer, enroll, loadConfig, startAgent } from "@steward/agent";
import { AGENT_VERSION } from "@steward/agent/version";
import { builtAgent, publish } from "@steward/cli/testing/agent-build";
import { freePort } from "@steward/testkit";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const dir = mkdtempSync(join(tmpdir(), "steward-e2e-agent-upgrade-"));
let agent: AgentServer | null = null;
let edgeId = "";
afterAll(async () => {
  await agent?.close(1000);
  rmSync(dir, { recursive: true, force: true });
});

describeConsole("upgrading a node's agent in the console", { timeout: 180_000 }, () => {
  const dist = join(dir, "dist");
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_AGENT_DIST: dist } },
    signIn: true,
    timeout: 240_000,
    seed: async (run) => {
      publish(dist, await builtAgent());
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await run.panel.api(method, path, { key: run.key, body });
        if (res.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(res.body)}`);
        return res.body;
      };
      const port = await freePort();
      const edge = await api("POST", "/api/v1/nodes", {
        name: "edge",
        agentUrl: `https://127.0.0.1:${port}`,
      });
      edgeId = edge.id;
      const { token } = await api("POST", `/api/v1/nodes/${edge.id}/enrollment-token`);
      const agentDir = join(dir, "agent");
      await enroll({ panel: run.panel.url, token, dir: agentDir, listen: `127.0.0.1:${port}` });
      const json = JSON.parse(readFileSync(join(agentDir, "agent.json"), "utf8"));
      Object.assign(json, {
        systemd: false,
        sitesRoot: join(dir, "sites"),
        logDir: join(dir, "log"),
        tlsDir: join(dir, "tls"),
      });
      writeFileSync(join(agentDir, "agent.json"), JSON.stringify(json), { mode: 0o600 });
      agent = await startAgent(loadConfig(agentDir), { logger: pino({ level: "silent" }) });
      // a node whose agent last answered as an older release, and has not answered since
      const old = await api("POST", "/api/v1/nodes", {
        name: "old-web",
        agentUrl: "https://203.0.113.7:7443",
      });
      runSql(
        run.panel,
        "update nodes set state = 'unreachable', agent_version = '0.0.9', last_seen_at = ? where id = ?",
        Date.now() - 3_600_000,
        old.id,
      );
      // the heartbeat records the enrolled agent's version
      await api("POST", "/api/v1/tasks", { kind: "node.heartbeat" }).catch(() => undefined);
      for (const end = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 500))) {
        if ((await api("GET", `/api/v1/nodes/${edge.id}`)).agentVersion === AGENT_VERSION) break;
        if (Date.now() > end) throw new Error("no heartbeat recorded the agent's version");
      }
    },
  });
  const { axe, row } = onPage(ui);
  const confirmDialog = () => ui.page.getByRole("alertdialog");
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const card = () =>
    ui.page.locator("section", { has: ui.page.getByRole("heading", { name: "Agent" }) });

  it("marks the node whose agent is behind the panel's version", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes`);
    await expect.poll(() => row("Nodes", "old-web").textContent()).toMatch(/0\.0\.9\s*behind/);
    const edge = await row("Nodes", "edge").textContent();
    expect(edge).toContain(AGENT_VERSION);
    expect(edge).not.toContain("behind");
    await shot("nodes-agent-versions");
    await axe();
  });

  it("upgrades from the node's page: both versions confirmed, then the task's live log", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes/${edgeId}`);
    const c = card();
    await c.getByText("Served by this panel").waitFor();
    expect(await c.textContent()).toMatch(
      new RegExp(`Running${AGENT_VERSION}.*Served by this panel${AGENT_VERSION}`),
    );
    await axe();
    await c.getByRole("button", { name: "Upgrade agent" }).click();
    await confirmDialog().getByRole("heading", { name: "Upgrade the agent of edge?" }).waitFor();
    expect(await confirmDialog().textContent()).toContain(
      `edge runs agent ${AGENT_VERSION}; it will run ${AGENT_VERSION}, the version this panel serves.`,
    );
    await shot("node-agent-upgrade-confirm");
    await confirmDialog().getByRole("button", { name: "Upgrade agent" }).click();
    await confirmDialog().waitFor({ state: "detached" });
    // the task, its state and its live log, in the card
    await c.getByText("node.agent-upgrade").waitFor();
    await c
      .getByText(/this agent runs from Steward's sources/)
      .first()
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => c.textContent(), { timeout: 30_000 }).toMatch(/failed/i);
    await shot("node-agent-upgrade-task");
    await axe();
    // queued through the API, audited with the version
    const audit = await ui.panel.api(
      "GET",
      `/api/v1/audit-events?action=node.agent_upgrade&target=${edgeId}`,
      { key: ui.key },
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: "node.agent_upgrade",
        outcome: "success",
        diff: expect.objectContaining({ version: AGENT_VERSION }),
      }),
    ]);
  });
});
