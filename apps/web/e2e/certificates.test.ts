// The certificates page against a real panel without any agent: sites planned with HTTPS get
// a certificate row (an HTTP-only site none), shown soonest expiry first with the days left
// and why the last try failed (hostile text stays text), an uploaded one never renewed; the state filter and the order live
// in the URL. The page passes axe.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const HOSTILE_ERROR = '<img src=x onerror="window.pwned=1"> port 80 could not be reached';
const DAY = 86_400_000;

describeConsole("certificates in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { row, table, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;

  it("lists the sites' certificates by expiry, with days left and the last error", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "web-c1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    const site = async (domain: string, https?: boolean) =>
      (
        await api("POST", "/api/v1/sites", {
          node,
          domains: [domain],
          kind: "static",
          ...(https === undefined ? {} : { https }),
        })
      ).id as string;
    const soon = await site("soon.example.com");
    const broken = await site("broken.example.com");
    const bought = await site("bought.example.com");
    await site("plain.example.com", false);
    // an uploaded certificate, as POST /certificates/upload leaves it: never renewed
    runSql(
      ui.panel,
      "update certificates set state = 'active', source = 'upload', not_after = ?, renew_at = null where site_id = ?",
      Date.now() + 40.5 * DAY,
      bought,
    );
    runSql(
      ui.panel,
      "update certificates set state = 'active', serial = '0A1B', issuer = 'CN=Pebble Intermediate', not_after = ?, renew_at = ? where site_id = ?",
      Date.now() + 5.5 * DAY,
      Date.now() - DAY,
      soon,
    );
    runSql(
      ui.panel,
      "update certificates set state = 'failed', last_error = ? where site_id = ?",
      HOSTILE_ERROR,
      broken,
    );
    await ui.page.goto(`${ui.panel.url}/certificates`);
    await table("Certificates").waitFor();
    await row("Certificates", "soon.example.com").getByText("5 d", { exact: true }).waitFor();
    await row("Certificates", "broken.example.com").getByText(HOSTILE_ERROR).waitFor();
    await row("Certificates", "bought.example.com").getByText("never (uploaded)").waitFor();
    expect(await row("Certificates", "plain.example.com").count()).toBe(0);
    // soonest expiry first: a certificate without one (never issued) sorts first
    const names = await table("Certificates").getByRole("row").allInnerTexts();
    expect(names.findIndex((t) => t.includes("broken."))).toBeLessThan(
      names.findIndex((t) => t.includes("soon.")),
    );
    await axe();
    expect(ui.dialogs).toEqual([]);

    await ui.page.goto(`${ui.panel.url}/certificates?state=failed`);
    await row("Certificates", "broken.example.com").waitFor();
    await expect.poll(() => row("Certificates", "soon.example.com").count()).toBe(0);
    await axe();
  });
});
