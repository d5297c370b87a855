// The tunnels page against a real panel, a real agent enrolled from this test (its config.yml a
// real file) and the strict Cloudflare fake (Cloudflare and cloudflared cannot run here): no
// tunnel yet (saying what to do), "Add a tunnel" with refusals at their fields (the contract's,
// then Cloudflare's), the tunnel's status, a hostname refused at its field, one forwarded (the
// rule before the catch-all in the file and the CNAME at Cloudflare), the same one again
// refused, the config.yml preview, "Stop forwarding" and "Remove tunnel", each asking first and
// naming what goes. The page passes axe.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentServer, enroll, loadConfig, startAgent } from "@steward/agent";
import { freePort, startCloudflareFake } from "@steward/testkit";
import pino from "pino";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const TOKEN = "e2e-tunnel-token-0123456789abcdef";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TUN = "6ff42ae2-765d-4adf-8112-31c55c1551ef";
const cloudflare = await startCloudflareFake({
  zones: ["example.test"],
  tokens: { [TOKEN]: { tunnels: true } },
  accounts: { [ACCOUNT]: [{ id: TUN, name: "edge", status: "healthy", connections: 2 }] },
});
const dir = mkdtempSync(join(tmpdir(), "steward-e2e-tunnel-"));
const file = join(dir, "cloudflared.yml");
writeFileSync(file, `tunnel: ${TUN}\ningress:\n  - service: http_status:404\n`);
let agent: AgentServer | null = null;
afterAll(async () => {
  await agent?.close(1000);
  await cloudflare.stop();
  rmSync(dir, { recursive: true, force: true });
});

describeConsole("tunnels in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: {
      env: {
        STEWARD_LOCAL_AGENT: "0",
        STEWARD_CLOUDFLARE_API: cloudflare.base,
        STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      },
    },
    signIn: true,
    // a panel, and for tunnels an enrolled agent: slow on a loaded machine
    timeout: 150_000,
    seed: async (run) => {
      const api = (method: string, path: string, body?: unknown) =>
        run.panel.api(method, path, { key: run.key, body });
      const port = await freePort();
      const node = (
        await api("POST", "/api/v1/nodes", { name: "edge", agentUrl: `https://127.0.0.1:${port}` })
      ).body;
      const token = (await api("POST", `/api/v1/nodes/${node.id}/enrollment-token`)).body.token;
      const agentDir = join(dir, "agent");
      await enroll({ panel: run.panel.url, token, dir: agentDir, listen: `127.0.0.1:${port}` });
      const json = JSON.parse(readFileSync(join(agentDir, "agent.json"), "utf8"));
      Object.assign(json, {
        systemd: false,
        sitesRoot: join(dir, "sites"),
        logDir: join(dir, "log"),
        tlsDir: join(dir, "tls"),
        cloudflared: { configFile: file, bin: join(dir, "no-cloudflared") },
      });
      writeFileSync(join(agentDir, "agent.json"), JSON.stringify(json), { mode: 0o600 });
      agent = await startAgent(loadConfig(agentDir), { logger: pino({ level: "silent" }) });
    },
  });
  const { dialog, axe } = onPage(ui);
  const invalid = (label: string) => dialog().getByLabel(label).getAttribute("aria-invalid");
  const confirm = async (title: string, says: RegExp, button: string) => {
    const asked = ui.page.getByRole("alertdialog");
    await asked.getByText(title).waitFor();
    await asked.getByText(says).waitFor();
    await asked.getByRole("button", { name: button }).click();
  };
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("adds a node's tunnel once Cloudflare confirms it, refusals at their fields", async () => {
    await ui.page.goto(`${ui.panel.url}/tunnels`);
    await ui.page.getByText("No tunnel yet.").waitFor();
    await axe();
    await shot("tunnels-empty");
    await ui.page.getByRole("button", { name: "Add a tunnel" }).click();
    await dialog().getByLabel("Cloudflare account id").fill("not-an-account; --");
    await dialog().getByLabel("Tunnel id").fill(TUN);
    await dialog().getByLabel("Zone").fill("other.test");
    await dialog().getByLabel("API token").fill(TOKEN);
    await dialog().getByRole("button", { name: "Add tunnel" }).click();
    await expect.poll(() => invalid("Cloudflare account id")).toBe("true");
    await dialog().getByLabel("Cloudflare account id").fill(ACCOUNT);
    await dialog().getByRole("button", { name: "Add tunnel" }).click();
    await expect.poll(() => invalid("Zone")).toBe("true");
    await dialog()
      .getByText(/does not reach the zone other\.test/)
      .waitFor();
    await shot("tunnels-add-refused");
    expect((await ui.panel.api("GET", "/api/v1/tunnels", { key: ui.key })).body.items).toEqual([]);
    await dialog().getByLabel("Zone").fill("example.test");
    await dialog().getByRole("button", { name: "Add tunnel" }).click();
    await ui.page.getByText("healthy").waitFor();
    expect(await ui.page.content()).not.toContain(TOKEN);
  });

  it("forwards a hostname through the node's tunnel, previews config.yml, stops forwarding", async () => {
    await ui.page.getByText("healthy").waitFor();
    await ui.page.getByText("No hostname is forwarded through this tunnel yet.").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "Forward a hostname" }).click();
    await dialog().getByLabel("Hostname").fill("app.example.test\n- service: x");
    await dialog().getByLabel("Local port").fill("3000");
    await dialog().getByRole("button", { name: "Forward" }).click();
    await expect
      .poll(() => dialog().getByLabel("Hostname").getAttribute("aria-invalid"))
      .toBe("true");
    await shot("tunnels-forward-refused");
    await dialog().getByLabel("Hostname").fill("app.example.test");
    await dialog().getByRole("button", { name: "Forward" }).click();
    await ui.page.getByText("http://localhost:3000").waitFor();
    expect(readFileSync(file, "utf8")).toMatch(
      /- hostname: app\.example\.test\n\s+service: http:\/\/localhost:3000\n\s+- service: http_status:404\n$/,
    );
    expect(cloudflare.records().find((r) => r.name === "app.example.test")).toMatchObject({
      type: "CNAME",
      content: `${TUN}.cfargotunnel.com`,
      proxied: true,
    });
    // the same hostname again: refused at its field, the file unchanged
    const before = readFileSync(file, "utf8");
    await ui.page.getByRole("button", { name: "Forward a hostname" }).click();
    await dialog().getByLabel("Hostname").fill("app.example.test");
    await dialog().getByLabel("Local port").fill("4000");
    await dialog().getByRole("button", { name: "Forward" }).click();
    await dialog().getByText("app.example.test is forwarded already").waitFor();
    expect(await invalid("Hostname")).toBe("true");
    expect(readFileSync(file, "utf8")).toBe(before);
    await dialog().getByRole("button", { name: "Cancel" }).click();
    await ui.page.getByRole("button", { name: "Preview config.yml" }).click();
    await ui.page.getByLabel("config.yml").getByText("service: http://localhost:3000").waitFor();
    const rules = ui.page
      .getByRole("list", { name: "Ingress rules, in order" })
      .getByRole("listitem");
    expect(await rules.allInnerTexts()).toEqual([
      expect.stringMatching(/^1\.\s*app\.example\.test\s*→\s*http:\/\/localhost:3000$/),
      expect.stringMatching(/^2\.\s*\(any hostname\)\s*→\s*http_status:404\s*catch-all$/),
    ]);
    await axe();
    await shot("tunnels-forwarded");
    await ui.page.getByRole("button", { name: "Stop forwarding" }).click();
    await shot("tunnels-stop-confirm");
    await confirm(
      "Stop forwarding app.example.test?",
      /no longer reaches http:\/\/localhost:3000/,
      "Stop forwarding",
    );
    await ui.page.getByText("No hostname is forwarded through this tunnel yet.").waitFor();
    expect(readFileSync(file, "utf8")).not.toContain("app.example.test");
    expect(ui.dialogs).toEqual([]);
  });

  it("removes the tunnel asking first, naming what goes", async () => {
    await ui.page.getByRole("button", { name: "Remove tunnel" }).click();
    await confirm(
      "Remove the tunnel of edge (example.test)?",
      new RegExp(`forgets tunnel ${TUN} and its sealed API token`),
      "Remove tunnel",
    );
    await ui.page.getByText("No tunnel yet.").waitFor();
    expect((await ui.panel.api("GET", "/api/v1/tunnels", { key: ui.key })).body.items).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe(
      `tunnel: ${TUN}\ningress:\n  - service: http_status:404\n`,
    );
  });
});
