// The DNS zone editor against a real panel without an agent (the zone's task cannot reach its
// node, so what was saved is checked through the API): a zone made from the template, a
// record refused at its field then added, an import refused naming its line, and the site
// form's offer of DNS records for a domain a zone covers. The pages pass axe.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

describeConsole("the DNS zone editor", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { dialog, row, submit, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const field = (name: string) => ui.page.getByRole("textbox", { name, exact: true });

  it("creates a zone, shows a record's error at its field, adds it, refuses a bad import", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "dns-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    await ui.page.goto(`${ui.panel.url}/dns`);
    await ui.page.getByText("No DNS zones yet.").waitFor();
    await axe();

    await ui.page.getByRole("button", { name: "New zone" }).click();
    await dialog().getByLabel("Domain").fill("example.com");
    // chosen, not left to the form's pick of the only node, which waits for the nodes to load
    await dialog().getByLabel("Node", { exact: true }).selectOption({ value: node });
    await dialog().getByLabel("Name servers").fill("ns1.example.net., ns2.example.net.");
    await dialog().getByLabel("IPv4 address (optional)").fill("192.0.2.1");
    await submit("Create zone");
    await ui.page.getByRole("heading", { name: "example.com" }).waitFor();
    await row("Records", "ns1.example.net.").waitFor();
    await row("Records", "v=spf1 mx -all").waitFor();
    await axe();

    await field("New record: name").fill("api");
    await field("New record: value").fill("not-an-address");
    await ui.page.getByRole("button", { name: "Add record" }).click();
    const error = ui.page.locator("#New-record-value-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("IPv4");
    expect(await field("New record: value").getAttribute("aria-invalid")).toBe("true");

    await field("New record: value").fill("192.0.2.7");
    await field("New record: value").press("Enter");
    await row("Records", "192.0.2.7").waitFor();
    await expect.poll(() => error.count()).toBe(0);
    const zones = await api("GET", "/api/v1/dns/zones");
    const zone = zones.items.find((z: { name: string }) => z.name === "example.com");
    const records = (await api("GET", `/api/v1/dns/zones/${zone.id}/records`)).items;
    expect(records).toContainEqual(
      expect.objectContaining({ name: "api", type: "A", value: "192.0.2.7", ttl: 3600 }),
    );

    await ui.page.getByRole("button", { name: "Import" }).click();
    await dialog()
      .getByLabel("Zone file")
      .fill("$ORIGIN example.com.\nwww 300 IN A 192.0.2.9\nbad 300 IN A 999.1.1.1\n");
    await dialog().getByRole("button", { name: "Import" }).click();
    await dialog()
      .getByText(/line 3:/)
      .waitFor();
    await axe();
    await dialog().getByRole("button", { name: "Cancel" }).click();

    await ui.page.goto(`${ui.panel.url}/dns`);
    await row("DNS zones", "example.com")
      .getByRole("link", { name: "dns-1", exact: true })
      .waitFor();
    expect(ui.dialogs).toEqual([]);
  });

  it("offers a new site's DNS records when a zone covers its name, and shows them", async () => {
    await ui.page.goto(`${ui.panel.url}/sites`);
    await ui.page.getByRole("button", { name: "New site" }).click();
    await dialog().getByLabel("Domains", { exact: true }).fill("outside.example.org");
    expect(await dialog().getByLabel("Add its DNS records").count()).toBe(0);
    await dialog().getByLabel("Domains", { exact: true }).fill("shop.example.com");
    const offer = dialog().getByLabel("Add its DNS records");
    await offer.waitFor();
    expect(await offer.isChecked()).toBe(true);
    await dialog().getByLabel("IPv4 address").fill("192.0.2.300");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await dialog().getByText("must be an IPv4 address").waitFor();
    await axe();
    await dialog().getByLabel("IPv4 address").fill("192.0.2.10");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await ui.page.waitForURL(/\/sites\/site_[a-z0-9]+$/);
    const card = ui.page.getByRole("table", { name: "The site's DNS records" });
    await card
      .getByRole("row")
      .filter({ hasText: "shop.example.com" })
      .getByText("192.0.2.10")
      .waitFor();
    await axe();
  });
});
