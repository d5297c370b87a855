// The mail pages against a real panel without an agent (the domain's task cannot reach its
// node, so what was saved is checked through the API): a domain made in the dialog (an IDN,
// shown as punycode), a mailbox refused at its field then added (its password never shown),
// an alias and a catch-all. The pages pass axe. STEWARD_SHOTS=<dir> keeps screenshots.
import { domainToASCII } from "node:url";
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;

describeConsole("the mail pages", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { dialog, submit, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/mail-${name}.png`, fullPage: true });
  };

  // a retry (a run outrun by load) works on names of its own: the panel keeps what the failed
  // attempt made
  let attempts = 0;

  it("creates a domain, refuses a bad mailbox at its field, adds mailboxes and aliases", async () => {
    const n = ++attempts;
    const unicode = n === 1 ? "bücher.example" : `bücher${n}.example`;
    const ascii = domainToASCII(unicode); // xn--bcher-kva.example the first time
    const node = (
      await api("POST", "/api/v1/nodes", { name: `mx-${n}`, agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    await ui.page.goto(`${ui.panel.url}/mail`);
    if (n === 1) await ui.page.getByText("No mail domains yet.").waitFor();
    await axe();

    await ui.page.getByRole("button", { name: "New domain" }).click();
    await dialog().getByLabel("Domain").fill(unicode);
    // chosen, not left to the form's pick of the only node: under load the dialog was submitted
    // before the nodes had loaded (and a retry finds two nodes, so none is picked)
    await dialog().getByLabel("Node", { exact: true }).selectOption({ value: node });
    await shot("new-domain");
    await submit("Create domain");
    await ui.page.getByRole("heading", { name: ascii }).waitFor();
    await ui.page.getByText("No mailbox yet.").waitFor();

    const mailbox = ui.page.getByRole("textbox", { name: "Mailbox", exact: true });
    await mailbox.fill("an..na");
    await ui.page.getByLabel("Password").fill("a-long-password");
    await ui.page.getByRole("button", { name: "Add mailbox" }).click();
    const error = ui.page.locator("[data-field-error]").first();
    await error.waitFor();
    expect(await error.textContent()).toContain("double dot");
    await mailbox.fill("anna");
    await ui.page.getByLabel("Quota (MiB)").fill("50");
    await ui.page.getByRole("button", { name: "Add mailbox" }).click();
    await ui.page.getByText(`anna@${ascii}`).waitFor();
    await ui.page.getByText("quota 50 MiB").waitFor();

    await ui.page.getByRole("textbox", { name: "Alias", exact: true }).fill("info");
    await ui.page.getByLabel("Delivered to").fill(`anna@${ascii}, someone@example.net`);
    await ui.page.getByRole("button", { name: "Add alias" }).click();
    await ui.page.getByText(`info@${ascii}`).waitFor();
    await ui.page.getByLabel(/^Catch-all/).check();
    await ui.page.getByLabel("Delivered to").fill(`anna@${ascii}`);
    await ui.page.getByRole("button", { name: "Add alias" }).click();
    await ui.page.getByText(`@${ascii} (catch-all)`).waitFor();
    await axe();
    await shot("domain");

    const domains = await api("GET", "/api/v1/mail/domains");
    expect(domains.items.find((d: { name: string }) => d.name === ascii)).toEqual(
      expect.objectContaining({ name: ascii, mailboxes: 1, aliases: 2 }),
    );
    expect(JSON.stringify(await ui.page.content())).not.toContain("a-long-password");
    await ui.page.goto(`${ui.panel.url}/mail`);
    await ui.page.getByRole("link", { name: ascii }).waitFor();
    await axe();
    await shot("list");
  });
});
