// The certificates page against a real panel without any agent: sites planned with HTTPS get
// a certificate row (an HTTP-only site none), shown soonest expiry first with the days left
// and why the last try failed (hostile text stays text), an uploaded one never renewed; the state filter and the order live
// in the URL. The upload dialog picks the site by name and shows the API's refusals at their
// fields (nothing reaches the node: this panel has none that answers). The page passes axe.
import { testChain } from "@steward/testkit";
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;

const HOSTILE_ERROR = '<img src=x onerror="window.pwned=1"> port 80 could not be reached';
const DAY = 86_400_000;

describeConsole("certificates in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { row, table, axe, dialog, choose } = onPage(ui);
  const box = (name: string) => dialog().getByRole("textbox", { name, exact: true });
  const send = () => dialog().getByRole("button", { name: "Upload and install" }).click();
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
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

    await shot("certificates");

    // the Names and State columns sort through the API, both ways
    const order = async () =>
      (await table("Certificates").getByRole("row").allInnerTexts())
        .slice(1)
        .map((t) => /^(\w+)\./.exec(t)?.[1]);
    await table("Certificates").getByRole("button", { name: "Names" }).click();
    await expect.poll(order).toEqual(["bought", "broken", "soon"]);
    expect(ui.page.url()).toContain("sort=name");
    await table("Certificates").getByRole("button", { name: "Names" }).click();
    await expect.poll(order).toEqual(["soon", "broken", "bought"]);
    await table("Certificates").getByRole("button", { name: "State" }).click();
    await expect.poll(async () => (await order())[0]).not.toBe("broken");
    await expect.poll(async () => (await order())[2]).toBe("broken");

    await ui.page.goto(`${ui.panel.url}/certificates?state=failed`);
    await row("Certificates", "broken.example.com").waitFor();
    await expect.poll(() => row("Certificates", "soon.example.com").count()).toBe(0);
    await axe();

    // the last day says so in words
    runSql(
      ui.panel,
      "update certificates set not_after = ? where site_id = ?",
      Date.now() + 1.5 * DAY,
      soon,
    );
    await ui.page.goto(`${ui.panel.url}/certificates`);
    await row("Certificates", "soon.example.com").getByText("expires tomorrow").waitFor();
  });

  it("uploads through a dialog: the site picked by name, the API's refusals at their fields", async () => {
    await ui.page.goto(`${ui.panel.url}/certificates`);
    await ui.page.getByRole("button", { name: "Upload certificate" }).click();
    await dialog().getByRole("searchbox", { name: "Search sites" }).fill("soon");
    await choose(/^soon\.example\.com/);
    await box("Certificate").fill("not a certificate");
    await box("Private key").fill("not a key");
    await axe();
    await shot("certificate-upload");
    await send();
    // the contract's checks, each at its field
    await dialog().getByText("must be PEM (-----BEGIN CERTIFICATE-----)").waitFor();
    await dialog().getByText("must be PEM (-----BEGIN PRIVATE KEY-----)").waitFor();
    // a real chain for other names: refused at the certificate, naming what it covers
    const other = await testChain({ hosts: ["other.example.net"] });
    await box("Certificate").fill(other.leaf);
    await box("Chain").fill(other.intermediate);
    await box("Private key").fill(other.key);
    await send();
    await dialog()
      .getByText(/does not cover soon\.example\.com/)
      .waitFor();
    await shot("certificate-upload-refused");
    expect(await box("Certificate").getAttribute("aria-invalid")).toBe("true");
    expect(ui.dialogs).toEqual([]);
  });
});
