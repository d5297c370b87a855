// The real `steward` CLI as a child process: a site's directory protection and PHP settings.
// Nothing applies them here (no agent): the node side is apps/agent/src/ops/sites/protect.test.ts.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { type Cli, cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

function sqlite<T>(c: Cli, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(c.dataDir, "steward.db"));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

async function phpSite(c: Cli): Promise<string> {
  const add = ["node", "add", "--name", "web-1", "--agent-url", "https://10.0.0.5:7443"];
  const { id: node } = await c.json<{ id: string }>(add);
  sqlite(c, (db) => db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node));
  const site = ["site", "add", "--node", "web-1", "--domain", "app.example.com", "--kind", "php"];
  return (await c.json<{ id: string }>(site)).id;
}

describe("steward site protect and site php", () => {
  it("protects paths with passwords from standard input, and sets php.ini values", async () => {
    const c = cliFor();
    const id = await phpSite(c);
    const said = await c.ok(
      ["site", "protect", id, "--path", "/admin", "--user", "alice", "--user", "bob"],
      {
        input: "alice-password-1\nbob-password-22\n",
      },
    );
    expect(said).toMatch(/^\/admin asks for a user: task task_\S+ applies it\n$/);
    // another path; /admin's users keep their passwords
    await c.ok(["site", "protect", id, "--path", "/stats", "--user", "carol"], {
      input: "carol-password-3\n",
    });
    expect(await c.json(["site", "protect", id])).toEqual({
      paths: [
        { path: "/admin", users: ["alice", "bob"] },
        { path: "/stats", users: ["carol"] },
      ],
    });
    const stored = sqlite(c, (db) =>
      db.prepare("SELECT users FROM site_protected_paths WHERE path = '/admin'").get(),
    ) as { users: string };
    expect(stored.users).toMatch(/"hash":"\$2b\$10\$/);
    expect(stored.users).not.toContain("alice-password-1");
    const table = await c.ok(["site", "protect", id]);
    expect(table).toContain("/stats");
    expect(table).toContain("alice, bob");
    await c.ok(["site", "protect", id, "--path", "/stats", "--remove"]);
    expect(await c.json(["site", "protect", id])).toEqual({
      paths: [{ path: "/admin", users: ["alice", "bob"] }],
    });

    await c.ok(["site", "php", id, "--set", "memory_limit=256M", "--set", "display_errors=on"]);
    await c.ok(["site", "php", id, "--set", "max_execution_time=90", "--unset", "display_errors"]);
    expect(await c.json(["site", "php", id])).toEqual({
      settings: { memory_limit: "256M", max_execution_time: 90 },
    });
  }, 120_000);

  it("refuses hostile values naming the option, and changes nothing", async () => {
    const c = cliFor();
    const id = await phpSite(c);
    const protect = (path: string, user: string, input = "long-password-1\n") =>
      c.fails(["site", "protect", id, "--path", path, "--user", user], 2, { input });
    expect(await protect("/a;deny all", "alice")).toContain("--path:");
    expect(await protect("/../etc", "alice")).toContain("--path:");
    expect(await protect("/a{b}", "alice")).toContain("--path:");
    expect(await protect(`/${"a".repeat(300)}`, "alice")).toContain("--path:");
    expect(await protect("/ok", "ev:il")).toContain("--user:");
    expect(await protect("/ok", "x\nroot")).toContain("--user:");
    expect(await protect("/ok", "alice", "short\n")).toContain("<stdin>:");
    expect(await protect("/ok", "alice", "")).toContain(
      "<stdin>: is required for the new user alice",
    );
    expect(
      await c.fails(["site", "php", id, "--set", "auto_prepend_file=/etc/passwd"], 2),
    ).toContain("--set");
    expect(await c.fails(["site", "php", id, "--set", "memory_limit=1G;x"], 2)).toContain(
      "--set memory_limit:",
    );
    expect(await c.fails(["site", "php", id, "--set", "date.timezone=Mars/Olympus"], 2)).toContain(
      "--set date.timezone: must be an IANA time zone",
    );
    expect(await c.json(["site", "protect", id])).toEqual({ paths: [] });
    expect(await c.json(["site", "php", id])).toEqual({ settings: {} });
  }, 120_000);
});
