// The real `steward` CLI as a child process: mail domains, mailboxes and aliases. Nothing
// applies them here (no worker, no agent; modules/mail/mail-api.test.ts serves them on a real
// Postfix and Dovecot): these tests are about what the CLI accepts, writes and prints.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward mail", () => {
  it("adds a domain, a mailbox with its password from stdin and an alias; refuses hostile names", async () => {
    const c = cliFor();
    const node = await c.json<{ id: string }>([
      ...["node", "add", "--name", "mx-1", "--agent-url", "https://10.0.0.7:7443"],
    ]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
    const domain = await c.json<{ id: string; name: string; taskId: string }>([
      ...["mail", "domain", "add", "Bücher.example", "--node", "mx-1"],
    ]);
    expect(domain.name).toBe("xn--bcher-kva.example");
    const added = await c.ok(["mail", "mailbox", "add", domain.id, "Anna", "--quota", "100"], {
      input: "a-long-password\n",
    });
    expect(added).toMatch(
      /^mailbox anna@xn--bcher-kva\.example \(mbx_\w+\) added\ntask \S+ applies it/,
    );
    const hash = db.prepare("SELECT password_hash FROM mailboxes").get() as {
      password_hash: string;
    };
    expect(hash.password_hash).toMatch(/^\{ARGON2ID\}\$argon2id\$/);
    db.close();
    const boxes = await c.json<Page<{ address: string; quotaMb: number }>>([
      ...["mail", "mailbox", "list", domain.id],
    ]);
    expect(boxes.items).toEqual([
      expect.objectContaining({ address: "anna@xn--bcher-kva.example", quotaMb: 100 }),
    ]);
    const alias = await c.json<{ source: string; destinations: string[] }>([
      ...[
        "mail",
        "alias",
        "add",
        domain.id,
        "--catch-all",
        "--to",
        "anna@xn--bcher-kva.example,x@example.net",
      ],
    ]);
    expect(alias).toMatchObject({
      source: "@xn--bcher-kva.example",
      destinations: ["anna@xn--bcher-kva.example", "x@example.net"],
    });
    for (const bad of ["an\nna", "an%na", "an!na", '"anna"', "an..na", "a".repeat(300)])
      expect(
        await c.fails(["mail", "mailbox", "add", domain.id, bad], 2, {
          input: "a-long-password\n",
        }),
      ).toMatch(/^steward: <local-part>: /);
    expect(
      await c.fails(
        ["mail", "alias", "add", domain.id, "info", "--to", "a@b.test\nbcc@evil.test"],
        2,
      ),
    ).toMatch(/^steward: --to: /);
    expect(await c.fails(["mail", "domain", "certificate", domain.id, "site_missing"], 2)).toMatch(
      /^steward: <site>: no site site_missing/,
    );
    expect(await c.fails(["mail", "domain", "certificate", domain.id, "a b"], 2)).toMatch(
      /^steward: <site>: /,
    );
    // spam: a mode the API knows, days in range, rspamd on the node (none here: no facts)
    for (const bad of ["quarantine", "TAG", "tag\n", "tag;--", ""])
      expect(await c.fails(["mail", "domain", "spam", domain.id, bad], 2)).toMatch(
        /^steward: <mode>: /,
      );
    for (const bad of ["0", "-1", "3651", "1.5", "x"])
      expect(
        await c.fails(["mail", "domain", "spam", domain.id, "off", "--junk-days", bad], 2),
      ).toMatch(/^steward: --junk-days: /);
    expect(await c.fails(["mail", "domain", "spam", domain.id, "tag"], 2)).toMatch(
      /^steward: <mode>: the domain's node has no rspamd/,
    );
    expect(await c.ok(["mail", "domain", "spam", domain.id, "off", "--junk-days", "14"])).toMatch(
      /^mail domain xn--bcher-kva\.example: spam filter off, Junk kept 14 days\ntask /,
    );
    expect(await c.fails(["mail", "domain", "add", "exa mple.com", "--node", "mx-1"], 2)).toMatch(
      /^steward: <name>: /,
    );
    expect(
      await c.fails(["mail", "mailbox", "add", domain.id, "bob"], 2, { input: "short\n" }),
    ).toMatch(/^steward: password: must be at least 10 characters/);
    expect(await c.fails(["mail", "mailbox", "add", domain.id, "bob", "--quota", "-5"], 2)).toMatch(
      /^steward: --quota: /,
    );
  });
});
