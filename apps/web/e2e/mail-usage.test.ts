// An account's mail per day in the console against a real panel without an agent: before any
// sampling the account's page says so (the empty state); then, with what the task mail.usage
// would have recorded (mailboxes' usage now and their days: modules/mail/usage-days.test.ts
// records them with the task's own code, mailbox-features-api.test.ts samples a real Dovecot),
// the account's page and the mail domains filtered to the account show the total and a bar
// per day whose accessible name says the first, last and largest day. Passes axe.
// STEWARD_SHOTS=<dir> keeps screenshots.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const DAY = 86_400_000;
const MIB = 1_048_576;

describeConsole("an account's mail per day", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const shot = async (name: string) => {
    if (SHOTS)
      await ui.page.screenshot({ path: `${SHOTS}/mail-usage-${name}.png`, fullPage: true });
  };

  it("says nothing was sampled yet, then charts the account's days", async () => {
    const node = (
      await api("POST", "/api/v1/nodes", { name: "mx-1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node);
    const domain = await api("POST", "/api/v1/mail/domains", { name: "days.example", node });
    const account = domain.accountId as string;
    const D = `/api/v1/mail/domains/${domain.id}`;
    const boxes = [
      await api("POST", `${D}/mailboxes`, { localPart: "anna", password: "a-long-password" }),
      await api("POST", `${D}/mailboxes`, { localPart: "bob", password: "a-long-password" }),
    ];

    await ui.page.goto(`${ui.panel.url}/accounts/${account}`);
    await ui.page.getByRole("heading", { name: /^Mail of .*: 0 B in 2 mailboxes$/ }).waitFor();
    await ui.page.getByText("No usage yet: the task mail.usage samples every mailbox").waitFor();
    await ui.page.getByText(/Not sampled yet\./).waitFor();
    await axe();
    await shot("empty");

    // what mail.usage would have recorded: ten days, anna growing by 1 MiB a day from 11 MiB,
    // bob at 4 MiB from the fifth day on (its first days before it was created)
    const today = Math.floor(Date.now() / DAY) * DAY;
    for (let d = 9; d >= 0; d--) {
      const day = today - d * DAY;
      const rows: [string, number][] = [[boxes[0].id, (20 - d) * MIB]];
      if (d <= 5) rows.push([boxes[1].id, 4 * MIB]);
      for (const [id, bytes] of rows)
        runSql(
          ui.panel,
          "insert into mail_usage_days (mailbox_id, account_id, day, bytes, messages) values (?, ?, ?, ?, ?)",
          id,
          account,
          day,
          bytes,
          bytes / MIB,
        );
    }
    for (const [box, bytes] of [
      [boxes[0], 20 * MIB],
      [boxes[1], 4 * MIB],
    ] as const)
      runSql(
        ui.panel,
        "update mailboxes set usage_bytes = ?, usage_messages = ?, usage_at = ? where id = ?",
        bytes,
        bytes / MIB,
        Date.now(),
        box.id,
      );

    await ui.page.reload();
    await ui.page.getByRole("heading", { name: /^Mail of .*: 24 MB in 2 mailboxes$/ }).waitFor();
    const chart = ui.page.getByRole("img", { name: /^Mail of .* per day:/ });
    expect(await chart.getAttribute("aria-label")).toMatch(
      /: 11 MB on \d{4}-\d\d-\d\d, 24 MB on \d{4}-\d\d-\d\d, at most 24 MB\.$/,
    );
    expect(await chart.locator("rect").count()).toBe(10);
    // each bar's title: the day, its bytes, messages and the mailboxes sampled
    expect(await chart.locator("rect title").first().textContent()).toMatch(
      /^\d{4}-\d\d-\d\d: 11 MB, 11 messages in 1 mailbox$/,
    );
    expect(await chart.locator("rect title").last().textContent()).toMatch(
      /: 24 MB, 24 messages in 2 mailboxes$/,
    );
    await ui.page.getByText(/Sampled .*; 24 messages together\./).waitFor();
    await ui.page.getByText(/\(2 on \d{4}-\d\d-\d\d\)/).waitFor();
    await axe();
    await shot("account");

    await ui.page.getByRole("link", { name: "Open the mail domains" }).click();
    await ui.page.waitForURL(/\/mail\?account=/);
    await ui.page.getByRole("link", { name: "days.example" }).waitFor();
    await ui.page.getByRole("img", { name: /^Mail of .* per day:/ }).waitFor();
    await axe();
    await shot("domains");
  });
});
