// A mail domain's mailboxes in the console against a real panel without an agent (what was
// saved is checked through the API; modules/mail/mailbox-features-api.test.ts serves it on a
// real Postfix and Dovecot): the usage bar of a sampled mailbox and its history chart, the
// edit dialog (quota, mode, enabled), the autoresponder form refusing an end before its start
// at the field then saving, and deleting a mailbox and an alias after a confirmation naming
// it. The pages pass axe. STEWARD_SHOTS=<dir> keeps screenshots.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const HOUR = 3_600_000;

describeConsole("a domain's mailboxes", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { dialog, submit, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/mailbox-${name}.png`, fullPage: true });
  };

  it("shows usage, edits a mailbox, sets its autoresponder, deletes with a named confirmation", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    const domain = await api("POST", "/api/v1/mail/domains", { name: "away.example", node });
    const D = `/api/v1/mail/domains/${domain.id}`;
    const anna = await api("POST", `${D}/mailboxes`, {
      localPart: "anna",
      password: "a-long-password",
      quotaMb: 50,
    });
    await api("POST", `${D}/mailboxes`, { localPart: "bob", password: "a-long-password" });
    await api("POST", `${D}/aliases`, { localPart: "info", destinations: ["anna@away.example"] });
    // what the mail.usage task would have sampled: 30 MiB now, a day of hourly points
    const now = Date.now();
    runSql(
      ui.panel,
      "update mailboxes set usage_bytes = ?, usage_messages = ?, usage_limit_bytes = ?, usage_at = ? where id = ?",
      30 * 1_048_576,
      412,
      50 * 1_048_576,
      now,
      anna.id,
    );
    for (let h = 24; h >= 0; h--)
      runSql(
        ui.panel,
        "insert into mail_usage_samples (mailbox_id, account_id, at, bytes, messages) values (?, ?, ?, ?, ?)",
        anna.id,
        domain.accountId,
        Math.floor((now - h * HOUR) / HOUR) * HOUR,
        (30 - h) * 1_048_576,
        400 + (24 - h),
      );

    await ui.page.goto(`${ui.panel.url}/mail/${domain.id}`);
    const bar = ui.page.getByRole("progressbar", { name: "anna@away.example usage" });
    await bar.waitFor();
    expect(await bar.getAttribute("aria-valuenow")).toBe("60");
    await ui.page.getByText("30 MB of 50 MB (60%) · 412 messages").waitFor();
    await ui.page.getByText("usage not sampled yet").waitFor();
    await axe();
    await shot("list");

    const annaRow = ui.page.getByRole("listitem").filter({ hasText: "anna@away.example" });
    await annaRow.getByRole("button", { name: "Usage" }).click();
    await dialog()
      .getByRole("img", { name: /anna@away\.example over the last 30 days/ })
      .waitFor();
    await axe();
    await shot("usage");
    await dialog().getByRole("button", { name: "Close" }).click();

    await annaRow.getByRole("button", { name: "Edit" }).click();
    await dialog().getByLabel("Quota (MiB)").fill("100");
    await dialog().getByLabel("Mode").selectOption("receive-only");
    await shot("edit");
    await submit("Save");
    await annaRow.getByText("receive-only").waitFor();
    await annaRow.getByText("quota 100 MiB").waitFor();

    await annaRow.getByRole("button", { name: "Autoresponder" }).click();
    await dialog().getByLabel("Subject").fill("Away until Monday");
    await dialog().getByLabel("Message").fill('Back on Monday.\n"Urgent"? Call me.\n.\nAnna');
    await dialog().getByLabel("First day").fill("2026-12-24");
    await dialog().getByLabel("Last day").fill("2026-12-20");
    await dialog().getByRole("button", { name: "Save" }).click();
    const error = dialog().locator("[data-field-error]").first();
    await error.waitFor();
    expect(await error.textContent()).toContain("must not be before start");
    await axe();
    await shot("autoresponder");
    await dialog().getByLabel("Last day").fill("2027-01-04");
    await submit("Save");
    await annaRow.getByText("autoresponder", { exact: true }).waitFor();

    const boxes = (await api("GET", `${D}/mailboxes`)).items;
    expect(boxes.find((b: { id: string }) => b.id === anna.id)).toMatchObject({
      quotaMb: 100,
      mode: "receive-only",
      enabled: true,
      autoresponder: {
        subject: "Away until Monday",
        body: 'Back on Monday.\n"Urgent"? Call me.\n.\nAnna',
        start: "2026-12-24",
        end: "2027-01-04",
        days: 7,
      },
    });

    const bobRow = ui.page.getByRole("listitem").filter({ hasText: "bob@away.example" });
    await bobRow.getByRole("button", { name: "Delete" }).click();
    const confirm = ui.page.getByRole("alertdialog");
    await confirm.getByText("Delete the mailbox bob@away.example?").waitFor();
    await shot("delete");
    await confirm.getByRole("button", { name: "Delete mailbox" }).click();
    await bobRow.waitFor({ state: "detached" });
    const infoRow = ui.page.getByRole("listitem").filter({ hasText: "info@away.example" });
    await infoRow.getByRole("button", { name: "Delete" }).click();
    await confirm.getByText("Delete the alias info@away.example?").waitFor();
    await confirm.getByRole("button", { name: "Delete alias" }).click();
    await infoRow.waitFor({ state: "detached" });
    expect((await api("GET", `${D}/mailboxes`)).items).toHaveLength(1);
    expect((await api("GET", `${D}/aliases`)).items).toHaveLength(0);
    await axe();
    await shot("after");
  });
});
