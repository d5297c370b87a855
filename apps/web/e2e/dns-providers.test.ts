// DNS providers and zones held at them, through the console, against a real panel and the
// strict, recording Cloudflare fake (Cloudflare cannot run here): a token Cloudflare refuses is
// shown at its field and nothing is kept, a good one lists the zones it reaches, "Test" checks it
// again, a zone made at the provider from the New zone form imports what Cloudflare holds, the
// provider holding a zone cannot be deleted (said in words) while another one can. A zone on a
// node shows its secondaries: adding a node without a DNS address is refused at the field; the
// nodes' DNS addresses are set on their pages, then a secondary is added and removed.
import { startCloudflareFake } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const GOOD = "good-token-0123456789abcdef";
const SPARE = "spare-token-0123456789abcdef";
const cf = await startCloudflareFake({
  zones: ["cf.test"],
  tokens: { [GOOD]: {}, [SPARE]: { zones: ["cf.test"] } },
});
afterAll(() => cf.stop());

describeConsole("DNS providers and secondaries", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: {
      env: {
        STEWARD_LOCAL_AGENT: "0",
        STEWARD_CLOUDFLARE_API: cf.base,
        STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      },
    },
    signIn: true,
  });
  const { dialog, row, submit, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;

  it("adds a provider after its check, makes a zone at it, refuses deleting the provider in use", async () => {
    const account = (await api("POST", "/api/v1/accounts", { slug: "acme", name: "Acme" })).id;
    expect(account).toMatch(/^acc_/);
    cf.seed("cf.test", { type: "A", name: "legacy.cf.test", content: "198.51.100.7", ttl: 300 });
    await ui.page.goto(`${ui.panel.url}/dns/providers?account=${account}`);
    await ui.page.getByText("This account has no DNS provider.").waitFor();
    await axe();

    await ui.page.getByRole("button", { name: "New provider" }).click();
    await dialog().getByLabel("Name", { exact: true }).fill("main");
    await dialog().getByLabel("Cloudflare API token").fill("not-a-token-that-cloudflare-knows");
    await dialog().getByRole("button", { name: "Check and add" }).click();
    await dialog().getByText(/token/i).first().waitFor();
    expect((await api("GET", `/api/v1/dns-providers?account=${account}`)).items).toEqual([]);
    await dialog().getByLabel("Cloudflare API token").fill(GOOD);
    await submit("Check and add");
    await row("DNS providers", "main").getByText("cf.test").waitFor();
    await ui.page.getByRole("button", { name: "Test main" }).click();
    await expect
      .poll(() => cf.requests.filter((r) => r.path.endsWith("/user/tokens/verify")).length)
      .toBeGreaterThanOrEqual(2);

    await ui.page.getByRole("button", { name: "New provider" }).click();
    await dialog().getByLabel("Name", { exact: true }).fill("spare");
    await dialog().getByLabel("Cloudflare API token").fill(SPARE);
    await submit("Check and add");
    await row("DNS providers", "spare").waitFor();
    await axe();

    await ui.page.goto(`${ui.panel.url}/dns`);
    await ui.page.getByRole("button", { name: "New zone" }).click();
    await dialog().getByLabel("Domain").fill("cf.test");
    await dialog().getByLabel("Account").selectOption({ label: "Acme" });
    await dialog().getByLabel("Served by").selectOption("provider");
    await dialog().getByLabel("DNS provider").selectOption({ label: "main (cf.test)" });
    await dialog().getByLabel("Start with the template's records").uncheck();
    await axe();
    await submit("Create zone");
    await ui.page.getByRole("heading", { name: "cf.test" }).waitFor();
    await ui.page.getByText("Cloudflare (main)").waitFor();
    await row("Records", "198.51.100.7").waitFor();
    expect(await ui.page.getByRole("heading", { name: "Secondaries" }).count()).toBe(0);

    await ui.page.goto(`${ui.panel.url}/dns/providers?account=${account}`);
    await ui.page.getByRole("button", { name: "Delete main" }).click();
    await ui.page.getByRole("alertdialog").getByRole("button", { name: "Delete provider" }).click();
    await ui.page.getByText(/holds the zone cf\.test/).waitFor();
    await ui.page.keyboard.press("Escape");
    await ui.page.getByRole("button", { name: "Delete spare" }).click();
    await ui.page.getByRole("alertdialog").getByRole("button", { name: "Delete provider" }).click();
    await expect.poll(() => row("DNS providers", "spare").count()).toBe(0);
    const names = (await api("GET", `/api/v1/dns-providers?account=${account}`)).items.map(
      (p: { name: string }) => p.name,
    );
    expect(names).toEqual(["main"]);
  });

  it("lists a node zone's secondaries and refuses one without a DNS address at the field", async () => {
    const nodes = [];
    for (const name of ["ns-a", "ns-b"]) {
      const id = (await api("POST", "/api/v1/nodes", { name, agentUrl: "https://127.0.0.1:1" })).id;
      runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", id);
      nodes.push(id);
    }
    const zone = await api("POST", "/api/v1/dns/zones", {
      name: "node.test",
      node: nodes[0],
      template: { nameservers: ["ns1.example.net."] },
    });
    await ui.page.goto(`${ui.panel.url}/dns/${zone.id}`);
    await ui.page.getByText("No secondary: only the zone's node serves it.").waitFor();
    await ui.page.getByLabel("Node").selectOption({ label: "ns-b" });
    await ui.page.getByRole("button", { name: "Add secondary" }).click();
    await ui.page.getByText("node ns-b has no DNS address").waitFor();
    expect(await ui.page.getByLabel("Node").getAttribute("aria-invalid")).toBe("true");
    expect((await api("GET", `/api/v1/dns/zones/${zone.id}/secondaries`)).items).toEqual([]);
    await axe();

    // both nodes get a DNS address on their pages (a bad one refused at the field)
    for (const [id, address] of [
      [nodes[1], "192.0.2.8:53"],
      [nodes[0], "192.0.2.7:53"],
    ] as const) {
      await ui.page.goto(`${ui.panel.url}/nodes/${id}`);
      // the DNS address card's own button (the node's page has other cards with a Change)
      await ui.page
        .locator("section")
        .filter({ has: ui.page.getByRole("heading", { name: "DNS address" }) })
        .getByRole("button", { name: "Change" })
        .click();
      await ui.page.getByLabel("Address and port").fill("192.0.2.8:53; rm -rf /");
      await ui.page.getByRole("button", { name: "Save" }).click();
      await ui.page.getByText("must be an IPv4 address and a port").waitFor();
      await ui.page.getByLabel("Address and port").fill(address);
      await ui.page.getByRole("button", { name: "Save" }).click();
      await ui.page.getByText(address).waitFor();
    }
    expect((await api("GET", `/api/v1/nodes/${nodes[1]}`)).dnsAddress).toBe("192.0.2.8:53");

    await ui.page.goto(`${ui.panel.url}/dns/${zone.id}`);
    await ui.page.getByLabel("Node").selectOption({ label: "ns-b" });
    await ui.page.getByRole("button", { name: "Add secondary" }).click();
    await ui.page.getByText("192.0.2.8:53").waitFor();
    const added = (await api("GET", `/api/v1/dns/zones/${zone.id}/secondaries`)).items;
    expect(added).toMatchObject([{ nodeId: nodes[1], address: "192.0.2.8:53" }]);
    await axe();
    await ui.page.getByRole("button", { name: "Remove secondary ns-b" }).click();
    await ui.page
      .getByRole("alertdialog")
      .getByRole("button", { name: "Remove secondary" })
      .click();
    await expect
      .poll(async () => (await api("GET", `/api/v1/dns/zones/${zone.id}/secondaries`)).items)
      .toMatchObject([{ state: "removing" }]);
    expect(ui.dialogs).toEqual([]);
  });
});
