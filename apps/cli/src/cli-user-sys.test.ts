// The real `steward` CLI as a child process: system users (`steward user-sys`). Nothing is
// applied here (no worker, no agent; the node end to end is
// apps/server/src/modules/system-users/system-users-api.test.ts): what the CLI accepts,
// writes (a password's hash only, read from a file) and prints, and refusals naming the flag
// with nothing written.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { BAD_SSH_KEYS } from "@steward/contracts/testing";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcRYjtClzJydhE7JQz/owOfFD5O0JVQvLEDGb7pbsk3 alice@laptop";

describe("steward user-sys", () => {
  it("creates, lists, changes and deletes system users; refusals name the flag", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "web-1", "--agent-url", "https://127.0.0.1:1"]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    const { id: account } = await c.json<{ id: string }>([
      ...["account", "create", "--slug", "shop", "--name", "Shop"],
    ]);
    const base = ["user-sys", "create", "--account", account, "--node", "web-1"];
    const out = await c.ok([...base, "--name", "shop", "--quota-mb", "2048"]);
    expect(out).toMatch(
      /^system user shop \(sysu_\w+\), CGI user shop-cgi\ntask task_\w+ applies it on the node\n$/,
    );
    const pw = join(c.dataDir, "pw.txt");
    writeFileSync(pw, "alice-secret-password\n");
    const alice = await c.json<{ id: string; hasPassword: boolean; ftp: boolean }>([
      ...base,
      ...["--name", "alice", "--home", "team/alice", "--ftp", "--key", KEY, "--password-file", pw],
    ]);
    expect(alice).toMatchObject({ hasPassword: true, ftp: true });
    const hash = db
      .prepare("SELECT password_hash AS h FROM system_users WHERE name = 'alice'")
      .get() as {
      h: string;
    };
    expect(hash.h).toMatch(/^\$6\$/);
    const table = await c.ok(["user-sys", "list", "--account", account]);
    expect(table).toMatch(/alice\s+secondary\s+sftp\s+true\s+team\/alice\s+1\s+pending/);
    expect(table).not.toContain("alice-secret-password");
    const set = await c.ok(["user-sys", "set", alice.id, "--shell", "none", "--no-keys"]);
    expect(set).toMatch(/^system user alice: task task_\w+ applies the change\n$/);
    // quotas: MiB asked of the node, 0 or none removes the limit (sent as 0: setquota … 0 0)
    const quotaOf = (name: string) =>
      (
        db.prepare("SELECT quota_mb AS q FROM system_users WHERE name = ?").get(name) as {
          q: number | null;
        }
      ).q;
    expect(quotaOf("shop")).toBe(2048);
    expect(quotaOf("alice")).toBeNull();
    // the node answered that the home's filesystem has no user quotas (as its apply would)
    db.prepare("UPDATE system_users SET quota_enforced = 0 WHERE name = 'shop'").run();
    expect(await c.ok(["user-sys", "list", "--account", account])).toMatch(
      /shop\s+main\s+sftp\s+false\s+\/\s+0\s+pending\s+2048 MiB \(not enforced\)/,
    );
    const shopId = /\((sysu_\w+)\)/.exec(out)?.[1] ?? "";
    expect(await c.ok(["user-sys", "show", shopId])).toMatch(
      /^quotaMb\s+2048\n[\s\S]*^quotaEnforced\s+false\n[\s\S]*quota: the filesystem of this home has no user quotas: usage is measured only\n$/m,
    );
    await c.ok(["user-sys", "set", alice.id, "--quota-mb", "300"]);
    expect(quotaOf("alice")).toBe(300);
    expect((await c.json<{ quotaMb: number | null }>(["user-sys", "show", alice.id])).quotaMb).toBe(
      300,
    );
    await c.ok(["user-sys", "set", alice.id, "--quota-mb", "none"]);
    expect(quotaOf("alice")).toBe(0);
    expect((await c.json<{ quotaMb: number | null }>(["user-sys", "show", alice.id])).quotaMb).toBe(
      null,
    );
    // a sample (cli-hostile.test.ts runs more): refused naming the flag, nothing changed
    for (const bad of ["1.5", "16777217", "0x10"])
      expect(await c.fails(["user-sys", "set", alice.id, "--quota-mb", bad], 2), bad).toContain(
        "--quota-mb",
      );
    for (const bad of ["1'; --"])
      expect(
        await c.fails([...base, "--name", "bob", "--home", "bob", "--quota-mb", bad], 2),
        bad,
      ).toContain("--quota-mb");
    expect(quotaOf("alice")).toBe(0);

    const count = () =>
      (db.prepare("SELECT count(*) AS n FROM system_users").get() as { n: number }).n;
    // a sample of each kind (the API's hostile-input test runs every value): each run of the
    // CLI is a process of its own
    const cases: [string[], string][] = [
      [["--name", "root", "--home", "x"], "--name"],
      [["--name", "a".repeat(33), "--home", "x"], "--name"],
      [["--name", "-dash", "--home", "x"], "--name"],
      [["--name", "bob", "--home", "../other"], "--home"],
      [["--name", "bob", "--home", "/etc"], "--home"],
      [["--name", "bob", "--home", "bob", "--key", BAD_SSH_KEYS[0] ?? ""], "--key"],
      [["--name", "bob", "--home", "bob", "--shell", "bash"], "--shell"],
      [["--name", "a".repeat(29)], "--name"],
    ];
    for (const [args, flag] of cases)
      expect(await c.fails([...base, ...args], 2), args.join(" ")).toContain(flag);
    expect(count()).toBe(2);
    expect(await c.fails(["user-sys", "show", "x'; --"], 2)).toContain("<id>");
    expect(await c.fails(["user-sys", "delete", alice.id, "--confirm", "bob"], 2)).toContain(
      "--confirm",
    );
    const del = await c.ok(["user-sys", "delete", alice.id, "--confirm", "alice"]);
    expect(del).toMatch(/^system user alice: task task_\w+ deletes it\n$/);
    db.close();
  }, 240_000);
});
