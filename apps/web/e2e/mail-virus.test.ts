// A mail domain's virus scanning in the console against a real panel without an agent (what
// was saved is checked through the API; apps/agent/src/ops/mail/virus.test.ts scans with a
// real rspamd and clamd): with rspamd but no clamd in the node's facts only off can be chosen
// and the card says why; once the facts list both, reject is saved. The page passes axe.
// STEWARD_SHOTS=<dir> keeps screenshots.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;

/** a node's facts as its agent reports them, with these services installed */
const facts = (names: string[]) =>
  JSON.stringify({
    hostname: "mx-1",
    os: { id: "debian", name: "Debian", version: "12", kernel: "6.1" },
    arch: "x64",
    cpus: 2,
    memory: { totalBytes: 1, availableBytes: 1 },
    disks: [],
    services: names.map((name) => ({ name, installed: true, version: null, running: true })),
    systemd: true,
    collectedAt: new Date().toISOString(),
  });

describeConsole("a mail domain's virus scanning", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/virus-${name}.png`, fullPage: true });
  };

  it("offers reject only with rspamd and clamd on the node, and saves it", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(
      ui.panel,
      "update nodes set state = 'trusted', facts = ? where id = ?",
      facts(["rspamd"]),
      node,
    );
    const domain = await api("POST", "/api/v1/mail/domains", { name: "virus.example", node });
    const D = `/api/v1/mail/domains/${domain.id}`;

    await ui.page.goto(`${ui.panel.url}/mail/${domain.id}`);
    await ui.page.getByText("The node has no virus scanner").waitFor();
    const mode = ui.page.getByLabel("Viruses", { exact: true });
    expect(await mode.inputValue()).toBe("off");
    expect(await mode.locator('option[value="reject"]').isDisabled()).toBe(true);
    await axe();
    await shot("no-clamd");

    runSql(ui.panel, "update nodes set facts = ? where id = ?", facts(["rspamd", "clamd"]), node);
    await ui.page.reload();
    await ui.page.getByRole("button", { name: "Save virus scanning" }).waitFor();
    expect(await ui.page.getByText("The node has no virus scanner").count()).toBe(0);
    await mode.selectOption("reject");
    await ui.page.getByRole("button", { name: "Save virus scanning" }).click();
    await expect
      .poll(async () => api("GET", D))
      .toMatchObject({ virusFilter: "reject", spamFilter: "off", virusAvailable: true });
    expect(await mode.inputValue()).toBe("reject");
    await axe();
    await shot("saved");
  });
});
