// A mail domain's DNS policy in the console against a real panel without an agent (what was
// saved is checked through the API; modules/mail/mail-dkim-api.test.ts sets the records in a
// real zone): the form shows the defaults (~all, none, no reports); a report address that is
// no mailbox of the domain, then one with a quote, are refused at their field with nothing
// saved; -all, reject and the domain's postmaster are saved and the records read them. An
// account's reader sees the policy without the form. Passes axe. The DNS check asks a resolver
// on a loopback port nobody listens on. STEWARD_SHOTS=<dir> keeps screenshots.
import { freePort } from "@steward/testkit";
import { expect, it } from "vitest";
import { PASSWORD, signedInPage } from "./harness.ts";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const READER = "reader@example.com";
const resolver = `127.0.0.1:${await freePort()}`;

describeConsole("a mail domain's DNS policy", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_MAIL_DNS_RESOLVERS: resolver } },
    signIn: true,
  });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const shot = async (name: string) => {
    if (SHOTS)
      await ui.page.screenshot({ path: `${SHOTS}/mail-dns-policy-${name}.png`, fullPage: true });
  };

  it("refuses bad report addresses at their field, saves the policy, shows it to readers", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    const domain = await api("POST", "/api/v1/mail/domains", { name: "policy.example", node });
    const D = `/api/v1/mail/domains/${domain.id}`;
    await api("POST", `${D}/mailboxes`, { localPart: "postmaster", password: "a-long-password" });
    const defaults = { spfAll: "~all", dmarcPolicy: "none", dmarcReport: null };

    await ui.page.goto(`${ui.panel.url}/mail/${domain.id}`);
    const spf = ui.page.getByLabel("SPF for mail from elsewhere");
    const dmarc = ui.page.getByLabel("DMARC policy");
    const report = ui.page.getByLabel("DMARC reports to");
    const save = ui.page.getByRole("button", { name: "Save DNS policy" });
    await save.waitFor();
    expect(await spf.inputValue()).toBe("~all");
    expect(await dmarc.inputValue()).toBe("none");
    expect(await report.inputValue()).toBe("");
    await axe();
    await shot("defaults");

    await spf.selectOption("-all");
    await dmarc.selectOption("reject");
    const error = ui.page.locator("[data-field-error]");
    for (const [value, says] of [
      ["nobody", "nobody@policy.example is no mailbox or alias of the domain"],
      ["post'master", "must be a mailbox name"],
    ] as const) {
      await report.fill(value);
      await save.click();
      await error.first().waitFor();
      expect(await error.count()).toBe(1);
      expect(await error.textContent()).toContain(says);
      expect(await report.getAttribute("aria-invalid")).toBe("true");
      expect((await api("GET", `${D}/dkim`)).policy).toEqual(defaults);
    }
    await axe();
    await shot("refused");

    await report.fill("postmaster");
    await save.click();
    await ui.page.getByRole("status").getByText("Saved.").waitFor();
    expect(await error.count()).toBe(0);
    const saved = {
      spfAll: "-all",
      dmarcPolicy: "reject",
      dmarcReport: "postmaster@policy.example",
    };
    expect((await api("GET", `${D}/dkim`)).policy).toEqual(saved);
    const records = ui.page.getByRole("list", { name: "DNS records" });
    await records.getByText("v=spf1 mx a -all", { exact: true }).waitFor();
    await records
      .getByText("v=DMARC1; p=reject; rua=mailto:postmaster@policy.example", { exact: true })
      .waitFor();
    await ui.page.reload();
    await save.waitFor();
    expect(await report.inputValue()).toBe("postmaster");
    expect(await dmarc.inputValue()).toBe("reject");
    await axe();
    await shot("saved");

    // a reader of the account: the policy in words, no form
    const reader = await ui.panel.api("POST", "/api/v1/users", {
      key: ui.key,
      body: { email: READER, password: PASSWORD },
    });
    expect(reader.status, JSON.stringify(reader.body)).toBe(201);
    const grant = await ui.panel.api("POST", "/api/v1/grants", {
      key: ui.key,
      body: {
        principalType: "user",
        principalId: reader.body.id,
        scopeType: "account",
        scopeId: domain.accountId,
        role: "read",
      },
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    const { context, page } = await signedInPage(ui.browser, ui.panel, READER, ui.dialogs);
    try {
      await page.goto(`${ui.panel.url}/mail/${domain.id}`);
      const card = page
        .locator("section")
        .filter({ has: page.getByRole("heading", { name: "DNS policy" }) });
      await card.getByText("postmaster@policy.example", { exact: true }).waitFor();
      await card.getByText("reject: refused", { exact: true }).waitFor();
      await card.getByText("-all: fail", { exact: true }).waitFor();
      expect(await page.getByRole("button", { name: "Save DNS policy" }).count()).toBe(0);
      expect(await page.getByLabel("DMARC reports to").count()).toBe(0);
      if (SHOTS)
        await page.screenshot({ path: `${SHOTS}/mail-dns-policy-reader.png`, fullPage: true });
    } finally {
      await context.close();
    }
    expect(ui.dialogs).toEqual([]);
  });
});
