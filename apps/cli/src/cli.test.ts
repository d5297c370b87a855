// The real `steward` CLI as a child process: users, paging, the audit log, migrations,
// first start, and bad settings. Accounts, groups and grants: cli-tenancy.test.ts; API keys
// and PostgreSQL: cli-apikeys.test.ts; config: cli-config.test.ts; hostile input:
// cli-hostile.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { userInfo } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AuditJson,
  cliFor,
  PASSWORD,
  type Page,
  removeDataDirs,
  repoRoot,
  runNode,
  tempDataDir,
  type UserJson,
  warmUp,
} from "./testing/cli.ts";

afterAll(removeDataDirs);

/** Node binaries on PATH of another major version than this one (the machine's Node). */
function olderNodesOnPath(): string[] {
  const self = realpathSync(process.execPath);
  const found = new Set<string>();
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, "node");
    if (!dir || !existsSync(file)) continue;
    const real = realpathSync(file);
    if (real === self || found.has(real)) continue;
    const version = execFileSync(real, ["--version"], { encoding: "utf8" }).trim();
    const major = Number(version.replace(/^v/, "").split(".")[0]);
    if (major >= 18 && major < Number(process.versions.node.split(".")[0])) found.add(real);
  }
  return [...found];
}

const emailsOf = (p: Page<UserJson>) => p.items.map((u) => u.email);

describe.concurrent("steward user and audit", () => {
  it("creates users from stdin or --password, pages, changes them by email, audits it", async () => {
    const c = cliFor();
    const a = await c.json<UserJson>(["user", "create", "--email", "a@example.com", "--super"], {
      input: `${PASSWORD}\n`,
    });
    expect(a).toMatchObject({ email: "a@example.com", super: true, disabled: false });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]+$/);
    const [human] = await Promise.all([
      // Human output by default, the password from --password; the email is normalized.
      c.ok(["user", "create", "--email", "B@Example.com", "--password", PASSWORD]),
      ...["c@example.com", "d@example.com"].map((email) =>
        c.ok(["user", "create", "--email", email, "--name", `User ${email[0]}`], {
          input: PASSWORD,
        }),
      ),
    ]);
    expect(human).toMatch(/^email\s+b@example\.com$/m);
    expect(human).toMatch(/^super\s+false$/m);
    expect(human).not.toContain(PASSWORD);

    const [all, first, more, byName, dup] = await Promise.all([
      c.json<Page<UserJson>>(["user", "list"]),
      c.json<Page<UserJson>>(["user", "list", "--limit", "2"]),
      c.ok(["user", "list", "--limit", "3"]),
      c.json<Page<UserJson>>(["user", "list", "--q", "user c"]),
      c.fails(["user", "create", "--email", "a@example.com"], 1, { input: PASSWORD }),
    ]);
    expect(emailsOf(all).sort()).toEqual([
      "a@example.com",
      "b@example.com",
      "c@example.com",
      "d@example.com",
    ]);
    expect(all.nextCursor).toBeNull();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await c.json<Page<UserJson>>([
      "user",
      "list",
      "--limit",
      "2",
      "--cursor",
      String(first.nextCursor),
    ]);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect([...emailsOf(first), ...emailsOf(second)]).toEqual(emailsOf(all));
    expect(more).toMatch(/^more: --cursor \S+$/m);
    expect(emailsOf(byName)).toEqual(["c@example.com"]);
    expect(dup).toBe("steward: a user with email a@example.com already exists");

    // passwd (stdin or flag), reset-2fa, unlink-github, disable and enable, by email or id. The last
    // enabled super user cannot be disabled.
    const [passwd, , short, reset, last, lastJson, nobody, unlinked] = await Promise.all([
      c.json(["user", "passwd", "b@example.com"], { input: "another long password\n" }),
      c.ok(["user", "passwd", "c@example.com", "--password", "yet another password"]),
      c.fails(["user", "passwd", "b@example.com", "--password", "short"], 2),
      c.json<UserJson>(["user", "reset-2fa", "b@example.com", "--passkeys"]),
      c.fails(["user", "disable", "a@example.com"], 1),
      c.run(["--json", "user", "disable", a.id]),
      c.fails(["user", "disable", "nobody@example.com"], 1),
      // nothing linked: it answers the user as it is (sign-in.test.ts unlinks a real link)
      c.json<UserJson>(["user", "unlink-github", "c@example.com"]),
    ]);
    expect(unlinked).toMatchObject({ email: "c@example.com", githubLinked: false });
    expect(passwd).toEqual({ ok: true, user: "b@example.com" });
    expect(short).toBe("steward: --password: must be at least 10 characters");
    expect(reset).toMatchObject({ email: "b@example.com", twoFactorEnabled: false, passkeys: 0 });
    expect(last).toBe("steward: this is the last enabled super user; make another one first");
    expect(lastJson.code).toBe(1);
    expect(JSON.parse(lastJson.stderr)).toMatchObject({ error: { code: "CONFLICT" } });
    expect(nobody).toBe("steward: user nobody@example.com not found");
    expect((await c.json<UserJson>(["user", "disable", "b@example.com"])).disabled).toBe(true);
    const [disabled, enabledA] = await Promise.all([
      c.json<Page<UserJson>>(["user", "list", "--disabled", "true"]),
      c.json<UserJson>(["user", "enable", a.id]),
    ]);
    expect(emailsOf(disabled)).toEqual(["b@example.com"]);
    expect(enabledA.disabled).toBe(false);
    expect((await c.json<UserJson>(["user", "enable", "b@example.com"])).disabled).toBe(false);

    // The audit log: every change above, attributed to the machine's user.
    const actorName = `cli:${userInfo().username}`;
    const [created, users, success, failure, paged, humanAudit, hostile, badFrom] =
      await Promise.all([
        c.json<Page<AuditJson>>(["audit", "list", "--action", "user.create"]),
        c.json<Page<AuditJson>>(["audit", "list", "--action", "user.*"]),
        c.json<Page<AuditJson>>(["audit", "list", "--outcome", "success"]),
        c.json<Page<AuditJson>>(["audit", "list", "--outcome", "failure"]),
        c.json<Page<AuditJson>>(["audit", "list", "--limit", "1"]),
        c.ok(["audit", "list", "--action", "user.create"]),
        c.fails(["audit", "list", "--action", "x' or 1=1--"], 2),
        c.fails(["audit", "list", "--from", "yesterday"], 2),
      ]);
    expect(created.items).toHaveLength(4);
    for (const e of created.items)
      expect(e).toMatchObject({ actorType: "system", actorName, outcome: "success" });
    expect(created.items.map((e) => e.targetId).sort()).toEqual(all.items.map((u) => u.id).sort());
    expect(new Set(users.items.map((e) => e.action))).toEqual(
      new Set([
        "user.create",
        "user.password_set",
        "user.reset_2fa",
        "user.disable",
        "user.enable",
      ]),
    );
    expect(success.items).toHaveLength(users.items.length);
    expect(failure.items).toEqual([]);
    expect(paged.items).toHaveLength(1);
    expect(paged.nextCursor).toEqual(expect.any(String));
    expect(humanAudit).toContain(actorName);
    expect(hostile).toMatch(/^steward: --action: /);
    expect(badFrom).toMatch(/^steward: --from: /);

    const newest = created.items[0];
    if (!newest) throw new Error("no user.create event");
    const at = Date.parse(newest.at);
    const [window, before] = await Promise.all([
      c.json<Page<AuditJson>>([
        "audit",
        "list",
        "--action",
        "user.create",
        "--from",
        newest.at,
        "--to",
        new Date(at + 1).toISOString(),
      ]),
      c.json<Page<AuditJson>>(["audit", "list", "--action", "user.create", "--to", newest.at]),
    ]);
    const sameMs = created.items.filter((e) => Date.parse(e.at) === at);
    expect(window.items.map((e) => e.id)).toEqual(sameMs.map((e) => e.id));
    expect(window.items.map((e) => e.id)).toContain(newest.id);
    const older = created.items.filter((e) => Date.parse(e.at) < at);
    expect(older.length).toBeGreaterThan(0);
    expect(before.items.map((e) => e.id)).toEqual(older.map((e) => e.id));
  }, 180_000);

  it("the npx entry (bin/steward) passes arguments, output and exit codes through", async () => {
    const dir = tempDataDir();
    const bin = join(repoRoot, "apps/cli/bin/steward");
    await warmUp();
    // The pinned Node first on PATH runs the CLI; with an older one, the pinned one is found.
    for (const node of [process.execPath, ...olderNodesOnPath()]) {
      const opts = { env: { PATH: `${dirname(node)}${delimiter}${process.env.PATH}` } };
      const [ok, bad] = await Promise.all([
        runNode("/bin/sh", dir, [bin, "--json", "config", "get", "port"], opts),
        runNode("/bin/sh", dir, [bin, "user", "list", "--limit", "0"], opts),
      ]);
      expect(ok.code, `${node}: ${ok.stderr}`).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual({ key: "port", value: 8080, from: "default" });
      expect(bad.code, `${node}: ${bad.stderr}`).toBe(2);
      expect(bad.stdout).toBe("");
      const lines = bad.stderr.trimEnd().split("\n");
      expect(lines.at(-1)).toBe("steward: --limit: must be between 1 and 200");
      if (node === process.execPath) expect(lines).toHaveLength(1);
      else expect(lines).toEqual([expect.stringMatching(/pinned Node/), lines.at(-1)]);
    }
  }, 180_000);

  it("db migrate applies 001-foundation on a fresh data dir, then nothing", async () => {
    const c = cliFor();
    const first = await c.json<{ database: string; applied: string[] }>(["db", "migrate"]);
    // Every migration, in order, starting with the foundation (later ones are added over time).
    expect(first.applied[0]).toBe("001-foundation");
    expect(first.applied).toEqual([...new Set(first.applied)].sort());
    expect(first.database).toBe(`sqlite:${c.dataDir}/steward.db`);
    expect((await c.json<{ applied: string[] }>(["db", "migrate"])).applied).toEqual([]);
    expect(await c.ok(["db", "migrate"])).toMatch(/^applied\s+\[\]$/m);
  });

  it("commands started together on a fresh data dir all succeed", async () => {
    const c = cliFor();
    const runs = await Promise.all([
      c.json<Page<UserJson>>(["user", "list"]),
      c.json<Page<UserJson>>(["user", "list"]),
      c.json<Page<UserJson>>(["account", "list"]),
      c.json<{ applied: string[] }>(["db", "migrate"]),
    ]);
    expect(runs[0].items).toEqual([]);
    // Whoever migrated did all of it in one go; the others found nothing to do.
    expect(runs[3].applied.length === 0 || runs[3].applied[0] === "001-foundation").toBe(true);
    expect((await c.json<{ applied: string[] }>(["db", "migrate"])).applied).toEqual([]);
  });

  it("a bad STEWARD_PORT or STEWARD_DATABASE_URL stops any command with exit 2", async () => {
    const c = cliFor();
    const cases: [Record<string, string>, string][] = [
      [{ STEWARD_PORT: "abc" }, "STEWARD_PORT"],
      [{ STEWARD_PORT: "99999" }, "STEWARD_PORT"],
      [{ STEWARD_PORT: "80; rm -rf /" }, "STEWARD_PORT"],
      [{ STEWARD_DATABASE_URL: "mysql://root@localhost/steward" }, "STEWARD_DATABASE_URL"],
      [{ STEWARD_DATABASE_URL: "postgres://a b@host/db" }, "STEWARD_DATABASE_URL"],
      [{ STEWARD_DATABASE_URL: "sqlite:" }, "STEWARD_DATABASE_URL"],
    ];
    const commands = [
      ["user", "list"],
      ["db", "migrate"],
      ["account", "create", "--slug", "acme", "--name", "Acme"],
      ["user", "create", "--email", "x@example.com", "--password", PASSWORD],
      ["audit", "list"],
      ["serve"],
    ];
    await Promise.all(
      cases.map(async ([env, name], i) => {
        const args = commands[i % commands.length] ?? [];
        const line = await c.fails(args, 2, { env });
        expect(line).toMatch(new RegExp(`^steward: invalid setting ${name}: `));
      }),
    );
    // Nothing was created by any of them: not even the database.
    expect(existsSync(join(c.dataDir, "steward.db"))).toBe(false);
    expect((await c.json<Page<UserJson>>(["user", "list"])).items).toEqual([]);
  });
});
