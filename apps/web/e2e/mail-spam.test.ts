// A mail domain's spam filter in the console against a real panel without an agent (what was
// saved is checked through the API; apps/agent/src/ops/mail/spam.test.ts serves it on a real
// rspamd): with no rspamd in the node's facts only off can be chosen and the card says why;
// once the facts list rspamd, reject with 0 days of Junk is refused at the days field, then
// reject with 14 days is saved. The page passes axe. STEWARD_SHOTS=<dir> keeps screenshots.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;

/** a node's facts as its agent reports them, with rspamd installed or not */
const facts = (rspamd: boolean) =>
  JSON.stringify({
    hostname: "mx-1",
    os: { id: "debian", name: "Debian", version: "12", kernel: "6.1" },
    arch: "x64",
    cpus: 2,
    memory: { totalBytes: 1, availableBytes: 1 },
    disks: [],
    services: [{ name: "rspamd", installed: rspamd, version: null, running: rspamd }],
    systemd: true,
    collectedAt: new Date().toISOString(),
  });

describeConsole("a mail domain's spam filter", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/spam-${name}.png`, fullPage: true });
  };

  it("offers tag and reject only with rspamd on the node, refuses bad days, saves", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(
      ui.panel,
      "update nodes set state = 'trusted', facts = ? where id = ?",
      facts(false),
      node,
    );
    const domain = await api("POST", "/api/v1/mail/domains", { name: "spam.example", node });
    const D = `/api/v1/mail/domains/${domain.id}`;

    await ui.page.goto(`${ui.panel.url}/mail/${domain.id}`);
    await ui.page.getByText("The node has no rspamd").waitFor();
    const filter = ui.page.getByLabel("Filter", { exact: true });
    expect(await filter.inputValue()).toBe("off");
    expect(await filter.locator('option[value="tag"]').isDisabled()).toBe(true);
    expect(await filter.locator('option[value="reject"]').isDisabled()).toBe(true);
    await axe();
    await shot("no-rspamd");

    runSql(ui.panel, "update nodes set facts = ? where id = ?", facts(true), node);
    await ui.page.reload();
    await ui.page.getByRole("button", { name: "Save spam filter" }).waitFor();
    expect(await ui.page.getByText("The node has no rspamd").count()).toBe(0);
    await filter.selectOption("reject");
    const days = ui.page.getByLabel("Junk keeps messages (days)");
    expect(await days.inputValue()).toBe("30");
    await days.fill("0");
    await ui.page.getByRole("button", { name: "Save spam filter" }).click();
    const error = ui.page.locator("[data-field-error]").first();
    await error.waitFor();
    expect(await error.textContent()).toMatch(/1|small|least/i);
    expect(await api("GET", D)).toMatchObject({ spamFilter: "off", junkDays: 30 });
    await axe();
    await shot("refused");

    await days.fill("14");
    await ui.page.getByRole("button", { name: "Save spam filter" }).click();
    await error.waitFor({ state: "detached" });
    await expect
      .poll(async () => api("GET", D))
      .toMatchObject({ spamFilter: "reject", junkDays: 14, spamAvailable: true });
    expect(await filter.inputValue()).toBe("reject");
    await axe();
    await shot("saved");
  });
});
