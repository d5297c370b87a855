// The real `steward` CLI as a child process: cron jobs (`steward cron`). Nothing runs on a node
// here (no worker, no agent; the node end to end is apps/server/src/modules/cron/cron-api.test.ts):
// what the CLI accepts and prints, and refusals naming the flag with nothing written.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward cron", () => {
  it("creates, lists, runs and deletes cron jobs; refusals name the flag", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "web-1", "--agent-url", "https://127.0.0.1:1"]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    const { id: account } = await c.json<{ id: string }>([
      ...["account", "create", "--slug", "shop", "--name", "Shop"],
    ]);
    await c.ok(["user-sys", "create", "--account", account, "--node", "web-1", "--name", "shop"]);
    const base = ["cron", "create", "--account", "shop", "--user", "shop"];
    const out = await c.ok([...base, "--schedule", "*/5 * * * *", "--command", "php cron.php"]);
    expect(out).toMatch(
      /^cron job (cron_\w+): \*\/5 \* \* \* \* as shop\ntask task_\w+ writes it on the node\n$/,
    );
    const id = /cron job (cron_\w+)/.exec(out)?.[1] ?? "";
    const table = await c.ok(["cron", "list", "--account", "shop"]);
    expect(table).toMatch(/shop\s+\*\/5 \* \* \* \*\s+php cron\.php\s+true\s+pending/);
    const run = await c.ok(["cron", "run", id]);
    expect(run).toMatch(/^task (task_\w+) runs it; its output: steward task logs \1\n$/);
    // a heartbeat monitor on request; a schedule less often than daily cannot have one
    const beat = await c.ok(["cron", "set", id, "--heartbeat"]);
    expect(beat).toMatch(
      /^cron job cron_\w+: task task_\w+ writes it; heartbeat monitor mon_\w+\n$/,
    );
    expect(await c.fails(["cron", "set", id, "--schedule", "@weekly"], 1)).toContain(
      "heartbeat: the schedule leaves more than a day between runs",
    );
    expect(await c.ok(["cron", "set", id, "--no-heartbeat"])).toMatch(/writes it\n$/);
    expect(await c.fails(["cron", "set", id], 2)).toContain("must change something");
    expect(await c.fails(["cron", "set", id, "--command", "a%b"], 2)).toContain("--command");

    const count = () =>
      (db.prepare("SELECT count(*) AS n FROM cron_jobs").get() as { n: number }).n;
    const ok = ["--schedule", "@daily", "--command", "true"];
    const cases: [string[], string[], string][] = [
      [base, ["--schedule", "61 * * * *", "--command", "true"], "--schedule"],
      [base, ["--schedule", "* * * * * root", "--command", "true"], "--schedule"],
      [base, ["--schedule", "@daily", "--command", "true\n* * * * * root id"], "--command"],
      [base, ["--schedule", "@daily", "--command", "date +%F"], "--command"],
      [base, ["--schedule", "@daily", "--command", "x".repeat(1001)], "--command"],
      [base, [...ok, "--env", "SHELL=/bin/bash"], "--env"],
      [base, [...ok, "--env", "PATH=/bin\nMAILTO=x"], "--env"],
      [["cron", "create", "--account", "shop", "--user", "root"], ok, "--user"],
      [["cron", "create", "--account", "shop", "--user", "nobody-here"], ok, "--user"],
    ];
    for (const [head, args, flag] of cases)
      expect(await c.fails([...head, ...args], 2), args.join(" ")).toContain(flag);
    expect(count()).toBe(1);
    expect(await c.fails(["cron", "run", "x'; --"], 2)).toContain("<id>");
    expect(await c.fails(["cron", "delete", id, "--confirm", "other"], 2)).toContain("--confirm");
    expect(await c.ok(["cron", "delete", id, "--confirm", id])).toMatch(
      /^cron job cron_\w+: task task_\w+ removes it\n$/,
    );
    db.close();
  }, 240_000);
});
