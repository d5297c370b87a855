// The real `steward` CLI as a child process: a mailbox's mode and autoresponder, and mail
// usage. Nothing applies them here (no worker, no agent; modules/mail/mailbox-features-api.test.ts
// serves them on a real Postfix, Dovecot and Pigeonhole): these tests are about what the CLI
// accepts, writes and prints, and what it refuses naming the option.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "steward-cli-mailbox-"));
afterAll(() => {
  removeDataDirs();
  rmSync(dir, { recursive: true, force: true });
});

describe("steward mail mailbox autoresponder, --mode, steward mail usage", () => {
  const c = cliFor();
  let box = { id: "", mode: "" };
  let domain = { id: "", accountId: "" };

  it("sets modes and an autoresponder", async () => {
    const node = await c.json<{ id: string }>([
      ...["node", "add", "--name", "mx-1", "--agent-url", "https://10.0.0.7:7443"],
    ]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
    db.close();
    domain = await c.json<{ id: string; accountId: string }>([
      ...["mail", "domain", "add", "away.example", "--node", "mx-1"],
    ]);
    box = await c.json<{ id: string; mode: string }>(
      ["mail", "mailbox", "add", domain.id, "anna", "--mode", "receive-only"],
      { input: "a-long-password\n" },
    );
    expect(box.mode).toBe("receive-only");
    expect(await c.ok(["mail", "mailbox", "update", box.id, "--mode", "send-only"])).toMatch(
      /^mailbox anna@away\.example changed\ntask \S+ applies it/,
    );
    const bodyFile = join(dir, "body.txt");
    writeFileSync(bodyFile, 'Back on Monday.\n"Quoted" \\ and\n.\nthe end');
    const set = await c.ok([
      ...["mail", "mailbox", "autoresponder", "set", box.id, "--subject", "Away"],
      ...["--body-file", bodyFile, "--start", "2026-12-01", "--end", "2026-12-24", "--days", "3"],
    ]);
    expect(set).toMatch(/^mailbox anna@away\.example answers with "Away"\ntask \S+ applies it/);
    const list = await c.json<{ items: { autoresponder: unknown; mode: string }[] }>([
      ...["mail", "mailbox", "list", domain.id],
    ]);
    expect(list.items[0]).toMatchObject({
      mode: "send-only",
      autoresponder: {
        subject: "Away",
        body: 'Back on Monday.\n"Quoted" \\ and\n.\nthe end',
        start: "2026-12-01",
        end: "2026-12-24",
        days: 3,
      },
    });
  });

  it("refuses hostile values naming the option", async () => {
    const setArgs = ["mail", "mailbox", "autoresponder", "set", box.id];
    for (const [args, flag] of [
      [["--subject", "a\nBcc: x@evil.test", "--body", "x"], "--subject"],
      [["--subject", "Away", "--body", "nul\u0001"], "--body"],
      [["--subject", "Away", "--body", "x".repeat(10_241)], "--body"],
      [
        ["--subject", "Away", "--body", "x", "--start", "2026-12-24", "--end", "2026-12-01"],
        "--end",
      ],
      [["--subject", "Away", "--body", "x", "--start", "2026-02-30"], "--start"],
      [["--subject", "Away", "--body", "x", "--days", "0"], "--days"],
      [["--subject", "Away"], "--body or --body-file"],
      [["--subject", "Away", "--body-file", join(dir, "missing")], "--body-file"],
    ] as const)
      expect(await c.fails([...setArgs, ...args], 2), args.join(" ")).toMatch(
        new RegExp(`^steward: ${flag.replace(/[-]/g, "\\-")}: `),
      );
    expect(await c.fails(["mail", "mailbox", "update", box.id, "--mode", "evil"], 2)).toMatch(
      /^steward: --mode: /,
    );
    expect(
      await c.fails(
        ["mail", "mailbox", "autoresponder", "set", "a b", "--subject", "x", "--body", "y"],
        2,
      ),
    ).toMatch(/^steward: <mailbox>: /);
  });

  it("removes the autoresponder and prints usage", async () => {
    expect(await c.ok(["mail", "mailbox", "autoresponder", "remove", box.id])).toMatch(
      /^mailbox anna@away\.example has no autoresponder\n/,
    );
    expect(await c.ok(["mail", "usage", box.id])).toBe("anna@away.example: not sampled yet\n");
    expect(await c.ok(["mail", "usage", "--account", domain.accountId])).toBe(
      "1 mailboxes: not sampled yet\n",
    );
    expect(await c.fails(["mail", "usage"], 2)).toMatch(/^steward: \[mailbox\] or --account: /);
  });

  it("prints the account's days once sampled", async () => {
    // what the task mail.usage records (modules/mail/usage-days.test.ts runs its code)
    const DAY = 86_400_000;
    const today = Math.floor(Date.now() / DAY) * DAY;
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare(
      "UPDATE mailboxes SET usage_bytes = 3145728, usage_messages = 7, usage_at = ? WHERE id = ?",
    ).run(today + 1000, box.id);
    const day = db.prepare(
      "INSERT INTO mail_usage_days (mailbox_id, account_id, day, bytes, messages) VALUES (?, ?, ?, ?, ?)",
    );
    day.run(box.id, domain.accountId, today - DAY, 1048576, 2);
    day.run(box.id, domain.accountId, today, 3145728, 7);
    db.close();
    const at = new Date(today + 1000).toISOString();
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(await c.ok(["mail", "usage", "--account", domain.accountId])).toBe(
      `1 mailboxes: 3.0 MiB, 7 messages at ${at}\n` +
        `  ${iso(today - DAY)}  1.0 MiB, 2 messages\n  ${iso(today)}  3.0 MiB, 7 messages\n`,
    );
  });
});
