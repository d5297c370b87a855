// The real `steward` CLI as a child process: events, recorded by this test process in the
// installation's database the way producers record them.
import { loadSettings, openDatabase } from "@steward/server";
import { mixedEvent } from "@steward/server/testing/events";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface EventJson {
  id: string;
  type: string;
  severity: string;
  accountName: string | null;
  summary: string;
}

describe("steward event", () => {
  it("lists with filters and shows one; refuses bad filters naming the option", async () => {
    const c = cliFor();
    const acme = await c.json<{ id: string }>([
      "account",
      "create",
      "--slug",
      "acme",
      "--name",
      "Acme",
    ]);
    const db = openDatabase(loadSettings({ STEWARD_DATA_DIR: c.dataDir }));
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i++) ids.push(await mixedEvent(db.db, acme.id, i));
      ids.push(await mixedEvent(db.db, null, 0));
    } finally {
      await db.close();
    }
    // a loaded machine runs many of these processes at once: three at a time, each given time
    const slow = { timeoutMs: 60_000 };
    const list = (...args: string[]) => c.json<Page<EventJson>>(["event", "list", ...args], slow);
    const [all, critical, tasks] = await Promise.all([
      list(),
      list("--severity", "critical"),
      list("--type", "task."),
    ]);
    const [inAcme, recent, human] = await Promise.all([
      list("--account", "acme", "--limit", "2"),
      list("--since", "1h", "--target-type", "site"),
      c.ok(["event", "list", "--account", "acme"], slow),
    ]);
    expect(all.items.map((e) => e.id)).toEqual([...ids].reverse());
    expect(critical.items.map((e) => e.type)).toEqual([
      "site.failed",
      "task.failed",
      "site.failed",
    ]);
    expect(tasks.items.map((e) => e.type)).toEqual(["task.failed"]);
    expect(inAcme.items.map((e) => e.accountName)).toEqual(["Acme", "Acme"]);
    expect(inAcme.nextCursor).not.toBeNull();
    expect(recent.items).toHaveLength(2);
    expect(human).toMatch(/^OCCURREDAT\s+SEVERITY\s+TYPE\s+ACCOUNTNAME\s+SUMMARY/);
    expect(human).toMatch(/critical\s+site\.failed\s+Acme\s+site e0\.example\.com failed/);
    const shown = await c.json<EventJson & { fields: unknown }>(
      ["event", "show", ids[0] ?? ""],
      slow,
    );
    expect(shown).toMatchObject({ type: "site.failed", fields: { domain: "e0.example.com" } });

    const refusals = [
      ...(await Promise.all([
        c.fails(["event", "list", "--since", "yesterday"], 2, slow),
        c.fails(["event", "list", "--type", "nothing."], 2, slow),
        c.fails(["event", "list", "--severity", "loud"], 2, slow),
      ])),
      ...(await Promise.all([
        c.fails(["event", "list", "--target-type", "Site"], 2, slow),
        c.fails(["event", "show", "evt_missing"], 1, slow),
      ])),
    ];
    expect(refusals.slice(0, 4).map((r) => r.split(":")[1]?.trim())).toEqual([
      "--since",
      "--type",
      "--severity",
      "--target-type",
    ]);
    expect(refusals[4]).toBe("steward: event evt_missing not found");
  }, 240_000);
});
