// A mail domain's DNS panel against a real panel without an agent, whose DNS check asks a real
// PowerDNS (the panel's STEWARD_MAIL_DNS_RESOLVERS) serving the domain's zone with an MX and
// an SPF record as Steward wants them and a DMARC record changed by hand. "Turn on DKIM" asks
// for a key; the node's answer (its public key) is written as the DKIM task would, since no
// agent runs here (modules/mail/mail-dkim-api.test.ts makes it on a real node). The panel then
// shows ok, wrong (with what it found) and missing, and copies a record. Passes axe.
// STEWARD_SHOTS=<dir> keeps screenshots.
import { generateKeyPairSync } from "node:crypto";
import { txtRdata } from "@steward/contracts/dns";
import { type PowerDns, startPowerDns } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const pdns = (await startPowerDns()) as PowerDns;
afterAll(() => pdns?.stop());

describeConsole("a mail domain's DNS panel", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_MAIL_DNS_RESOLVERS: pdns.resolver } },
    signIn: true,
  });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;

  it("shows each record's state in live DNS, rotates the key, and copies a record", async () => {
    const txt = (name: string, text: string) => ({
      name,
      type: "TXT",
      ttl: 300,
      records: [{ content: txtRdata(text), disabled: false }],
    });
    const made = await fetch(`${pdns.apiUrl}/api/v1/servers/localhost/zones`, {
      method: "POST",
      headers: { "X-API-Key": pdns.apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        name: "shop.example.",
        kind: "Native",
        nameservers: ["ns1.shop.example."],
        rrsets: [
          {
            name: "shop.example.",
            type: "MX",
            ttl: 300,
            records: [{ content: "10 mx.shop.example.", disabled: false }],
          },
          txt("shop.example.", "v=spf1 mx a ~all"),
          txt("_dmarc.shop.example.", "v=DMARC1; p=reject"),
        ],
      }),
    });
    expect(made.status).toBe(201);
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    const domain = await api("POST", "/api/v1/mail/domains", { name: "shop.example", node });

    await ui.page.goto(`${ui.panel.url}/mail/${domain.id}`);
    await ui.page.getByText("No DKIM key yet: mail from this domain is not signed.").waitFor();
    await ui.page.getByText(`Asked ${pdns.resolver}`).waitFor();
    await ui.page.getByRole("button", { name: "Turn on DKIM" }).click();
    await ui.page.getByText("DKIM selector").waitFor();
    // what the node answers (mail.dkim): the public part of the key it made
    const publicKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .publicKey.export({ format: "der", type: "spki" })
      .toString("base64");
    runSql(
      ui.panel,
      "update mail_dkim_keys set public_key = ?, status = 'active' where domain_id = ?",
      publicKey,
      domain.id,
    );
    await ui.page.reload();
    const records = ui.page.getByRole("list", { name: "DNS records" });
    await records.getByText("Found: v=DMARC1; p=reject").waitFor();
    const states = await records
      .locator("li")
      .evaluateAll((items) =>
        items.map((li) =>
          (li.textContent ?? "").match(/^(MX|SPF|DKIM|DMARC)(ok|missing|wrong)/)?.slice(1),
        ),
      );
    expect(states).toEqual([
      ["MX", "ok"],
      ["SPF", "ok"],
      ["DKIM", "missing"],
      ["DMARC", "wrong"],
    ]);
    await axe();
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/mail-dns.png`, fullPage: true });
    await ui.page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await ui.page.getByRole("button", { name: "Copy the DKIM record" }).click();
    await ui.page.getByText("Copied").waitFor();
    expect(await ui.page.evaluate(() => navigator.clipboard.readText())).toBe(
      `v=DKIM1; k=rsa; p=${publicKey}`,
    );
  });
});
