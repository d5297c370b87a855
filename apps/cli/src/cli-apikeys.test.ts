// The real `steward` CLI as a child process: API keys, and the user and key commands on
// PostgreSQL (STEWARD_DATABASE_URL) as well as SQLite.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { dialects, freshPostgresDatabase } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, PASSWORD, type Page, removeDataDirs, type UserJson } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface KeyJson {
  id: string;
  name: string | null;
  start: string | null;
  userId: string;
  scopes: string[];
  key?: string;
}

describe.concurrent.each(dialects())("steward apikey on %s", (dialect) => {
  it("prints a key once, lists keys without it, revokes", async () => {
    const env =
      dialect === "postgres" ? { STEWARD_DATABASE_URL: await freshPostgresDatabase() } : {};
    const c = cliFor(undefined, env);
    const migrated = await c.json<{ database: string; applied: string[] }>(["db", "migrate"]);
    // Every migration, in order, starting with the foundation (later ones are added over time).
    expect(migrated.applied[0]).toBe("001-foundation");
    expect(migrated.applied).toEqual([...migrated.applied].sort());
    expect(migrated.database.startsWith(dialect === "postgres" ? "postgres://" : "sqlite:")).toBe(
      true,
    );
    expect(migrated.database).not.toContain("@"); // no credentials in output

    const a = await c.json<UserJson>(["user", "create", "--email", "a@example.com", "--super"], {
      input: PASSWORD,
    });
    const created = await c.json<KeyJson>([
      "apikey",
      "create",
      "--user",
      "a@example.com",
      "--scopes",
      "read",
      "--name",
      "ci",
    ]);
    expect(created).toMatchObject({ userId: a.id, scopes: ["read"], name: "ci" });
    const key = created.key ?? "";
    expect(key.length).toBeGreaterThanOrEqual(32);
    // Human output: the key on its own line, said to be shown once.
    const human = await c.ok(["apikey", "create", "--user", a.id]);
    const [secondKey, note] = human.trimEnd().split("\n");
    expect(note).toMatch(/^\(id \S+; this is the only time the key is shown\)$/);
    expect(secondKey).toMatch(/^\S{32,}$/);
    expect(secondKey).not.toBe(key);

    const [list, listHuman, users, badScope, badDays, nobody] = await Promise.all([
      c.run(["--json", "apikey", "list", "--user", "a@example.com"]),
      c.ok(["apikey", "list", "--user", "a@example.com"]),
      c.json<Page<UserJson>>(["user", "list"]),
      c.fails(["apikey", "create", "--user", a.id, "--scopes", "read,account:x y:admin"], 2),
      c.fails(["apikey", "create", "--user", a.id, "--expires-days", "0"], 2),
      c.fails(["apikey", "list", "--user", "nobody@example.com"], 1),
    ]);
    expect(list.code).toBe(0);
    for (const shown of [list.stdout, listHuman]) {
      expect(shown).not.toContain(key);
      expect(shown).not.toContain(String(secondKey));
    }
    const keys = JSON.parse(list.stdout) as Page<KeyJson>;
    expect(keys.items).toHaveLength(2);
    for (const k of keys.items) expect(k).not.toHaveProperty("key");
    expect(keys.items.map((k) => k.id)).toContain(created.id);
    expect(users.items.map((u) => u.email)).toEqual(["a@example.com"]);
    expect(badScope).toMatch(/^steward: --scopes: /);
    expect(badDays).toMatch(/^steward: --expires-days: /);
    expect(nobody).toBe("steward: user nobody@example.com not found");

    expect(await c.json(["apikey", "revoke", created.id])).toEqual({ revoked: created.id });
    const left = await c.json<Page<KeyJson>>(["apikey", "list", "--user", a.id]);
    expect(left.items.map((k) => k.id)).not.toContain(created.id);
    expect(left.items).toHaveLength(1);
    expect(await c.fails(["apikey", "revoke", created.id], 1)).toBe(
      `steward: API key ${created.id} not found`,
    );
    // With STEWARD_DATABASE_URL nothing goes to the data dir's SQLite file.
    expect(existsSync(join(c.dataDir, "steward.db"))).toBe(dialect === "sqlite");
  }, 120_000);
});
