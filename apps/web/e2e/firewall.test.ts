// A node's firewall in the console against a real panel, a real agent enrolled from this test
// and real nftables in a network namespace this file creates (never the host's ruleset): set
// up rules (a port refused at the form, SSH kept), the apply confirmed by the panel, then an
// apply a person confirms with the countdown running, and Unblock. Real connections from a
// second namespace show what the node lets in. The card passes axe.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentServer, enroll, loadConfig, startAgent } from "@steward/agent";
import { freePort, startNetnsPair } from "@steward/testkit";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const ns = await startNetnsPair();
const dir = mkdtempSync(join(tmpdir(), "steward-e2e-firewall-"));
let agent: AgentServer | null = null;
let nodeId = "";
afterAll(async () => {
  await agent?.close(1000);
  await ns?.close();
  rmSync(dir, { recursive: true, force: true });
});

describeConsole("a node's firewall in the console", { timeout: 120_000 }, () => {
  const pair = ns as NonNullable<typeof ns>;
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    seed: async (run) => {
      if (!ns) return;
      const api = (method: string, path: string, body?: unknown) =>
        run.panel.api(method, path, { key: run.key, body });
      const port = await freePort();
      const node = (
        await api("POST", "/api/v1/nodes", { name: "edge", agentUrl: `https://127.0.0.1:${port}` })
      ).body;
      nodeId = node.id;
      const token = (await api("POST", `/api/v1/nodes/${node.id}/enrollment-token`)).body.token;
      const agentDir = join(dir, "agent");
      await enroll({ panel: run.panel.url, token, dir: agentDir, listen: `127.0.0.1:${port}` });
      const json = JSON.parse(readFileSync(join(agentDir, "agent.json"), "utf8"));
      Object.assign(json, {
        systemd: false,
        sitesRoot: join(dir, "sites"),
        logDir: join(dir, "log"),
        tlsDir: join(dir, "tls"),
        firewall: { netns: pair.node, bootFile: join(dir, "firewall.nft"), bootUnit: null },
      });
      writeFileSync(join(agentDir, "agent.json"), JSON.stringify(json), { mode: 0o600 });
      agent = await startAgent(loadConfig(agentDir), { logger: pino({ level: "silent" }) });
      await pair.listen([22, 80, 8080]);
    },
  });
  const { axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const card = () =>
    ui.page.locator("section", { has: ui.page.getByRole("heading", { name: "Firewall" }) });
  const addRule = async (o: {
    service?: string;
    ports?: string;
    from?: string;
    action?: string;
  }) => {
    const c = card();
    if (o.action) await c.getByLabel("Action").selectOption(o.action);
    await c.getByLabel("Service").selectOption(o.ports ? "ports" : (o.service ?? "ssh"));
    if (o.ports) await c.getByLabel("Ports").fill(o.ports);
    await c.getByLabel("From").fill(o.from ?? "");
    await c.getByRole("button", { name: "Add rule" }).click();
  };

  it.skipIf(!ns)("sets up rules, applies them, confirms an apply in time, unblocks", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes/${nodeId}`);
    await card().getByText("Steward does not manage this node's firewall.").waitFor();
    await card().getByRole("button", { name: "Set up" }).click();
    // no SSH: refused by the panel, in words
    await addRule({ ports: "80" });
    await card().getByRole("button", { name: "Apply" }).click();
    await card()
      .getByText(/the rules close SSH \(port 22\)/)
      .waitFor();
    await shot("firewall-refused");
    await addRule({ service: "ssh" });
    const agentPort = String(agent?.port);
    await addRule({ ports: agentPort });
    await card().getByLabel("Blocked addresses").fill(pair.otherAddress);
    await axe();
    await shot("firewall-editing");
    await card().getByRole("button", { name: "Apply" }).click();
    await card().getByText("applied and confirmed by the panel").waitFor({ timeout: 30_000 });
    expect(await pair.reaches(80)).toBe(true);
    expect(await pair.reaches(8080)).toBe(false);
    expect(await pair.reaches(80, pair.otherAddress)).toBe(false);
    await shot("firewall-applied");

    // a person confirms this one: the countdown runs until then
    await card().getByRole("button", { name: "Change rules" }).click();
    await addRule({ ports: "8080" });
    await card().getByLabel("Revert unless confirmed within (seconds)").fill("60");
    await card().getByLabel("The panel confirms by itself").uncheck();
    await card().getByRole("button", { name: "Apply" }).click();
    await card().getByTestId("firewall-countdown").waitFor({ timeout: 30_000 });
    expect(await pair.reaches(8080)).toBe(true);
    await axe();
    await shot("firewall-pending");
    await card().getByRole("button", { name: "Keep the new rules" }).click();
    await card().getByText("applied and confirmed", { exact: true }).waitFor({ timeout: 30_000 });

    await card().getByRole("button", { name: "Unblock" }).click();
    await card()
      .getByText(/takes it out of its blocked set/)
      .waitFor();
    // the unblock is a task on the node: under load it may take a while
    await expect.poll(() => pair.reaches(80, pair.otherAddress), { timeout: 60_000 }).toBe(true);
    await shot("firewall-unblocked");
    expect(ui.dialogs).toEqual([]);
  });
});
