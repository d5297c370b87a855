// The real `steward` CLI as a child process: tasks. The CLI loads the test task kinds with
// `node --import`; for --follow, a worker of this test process runs the task.
import { join } from "node:path";
import { createServices, loadSettings, openDatabase, type Services } from "@steward/server";
import { registerTestKinds } from "@steward/server/testing/task-kinds";
import { dialects, freshPostgresDatabase } from "@steward/testkit";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { type AuditJson, cliFor, type Page, removeDataDirs, repoRoot } from "./testing/cli.ts";

afterAll(removeDataDirs);

const preload = join(repoRoot, "apps/cli/src/testing/task-kinds.ts");

interface TaskJson {
  id: string;
  kind: string;
  state: string;
  enabled: boolean;
  priority: number;
  runAt: string;
  expression: string | null;
  timezone: string | null;
  accountId: string | null;
  lastError: string | null;
}

/** The CLI of a fresh installation that knows the test task kinds, with account "acme". */
async function setUp(dialect: string) {
  const env = dialect === "postgres" ? { STEWARD_DATABASE_URL: await freshPostgresDatabase() } : {};
  const c = cliFor(undefined, env);
  // a loaded machine runs many of these processes at once: give each time
  const withKinds = { preload, timeoutMs: 60_000 };
  const run = (args: string[]) => c.run(args, withKinds);
  const json = <T>(args: string[]) => c.json<T>(args, withKinds);
  const fails = (args: string[], code: 1 | 2) => c.fails(args, code, withKinds);
  const ok = (args: string[]) => c.ok(args, withKinds);
  const acme = await json<{ id: string }>(["account", "create", "--slug", "acme", "--name", "A"]);
  return { c, env, run, json, ok, fails, acme: acme.id };
}

describe.concurrent.each(dialects())("steward task on %s", (dialect) => {
  it("adds, lists, shows, disables, enables, cancels and runs tasks, audited", async () => {
    const { json, ok, fails, acme } = await setUp(dialect);
    const once = await json<TaskJson>([
      ...["task", "add", "test.lines", "--account", "acme"],
      ...["--payload", '{"lines":2}', "--priority", "3", "--delay", "3600"],
    ]);
    expect(once).toMatchObject({ state: "queued", priority: 3, accountId: acme, enabled: true });
    const daily = await json<TaskJson>([
      ...["task", "add", "test.lines", "--account", acme],
      ...["--expression", "@daily", "--timezone", "Europe/Paris"],
    ]);
    expect(daily).toMatchObject({ expression: "@daily", timezone: "Europe/Paris" });

    const [all, disabled, human, shown] = await Promise.all([
      json<Page<TaskJson>>(["task", "list", "--account", "acme"]),
      json<Page<TaskJson>>(["task", "list", "--enabled", "false"]),
      ok(["task", "list", "--kind", "test.lines"]),
      ok(["task", "show", once.id]),
    ]);
    expect(all.items.map((t) => t.id).sort()).toEqual([once.id, daily.id].sort());
    expect(disabled.items).toEqual([]);
    expect(human).toMatch(/^ID\s+KIND\s+STATE\s+ENABLED\s+PRIORITY/);
    expect(human).toContain(daily.id);
    expect(shown).toMatch(/^state\s+queued$/m);

    expect(await json<TaskJson>(["task", "disable", daily.id])).toMatchObject({ enabled: false });
    expect(await json<TaskJson>(["task", "enable", daily.id])).toMatchObject({ enabled: true });
    expect(await json<TaskJson>(["task", "cancel", once.id])).toMatchObject({
      state: "cancelled",
    });
    expect(await fails(["task", "cancel", once.id], 1)).toBe(
      "steward: the task has already finished (cancelled); there is nothing to cancel",
    );
    expect(await json<TaskJson>(["task", "run", once.id])).toMatchObject({
      state: "queued",
      lastError: null,
    });
    const audit = await json<Page<AuditJson>>(["audit", "list", "--action", "task.*"]);
    expect(audit.items.map((e) => `${e.action} ${e.actorName}`)).toEqual([
      expect.stringMatching(/^task\.run cli:/),
      expect.stringMatching(/^task\.cancel cli:/),
      expect.stringMatching(/^task\.update cli:/),
      expect.stringMatching(/^task\.update cli:/),
      expect.stringMatching(/^task\.create cli:/),
      expect.stringMatching(/^task\.create cli:/),
    ]);
  }, 180_000);

  it("refuses bad input with one line naming the option, adding nothing", async () => {
    const { json, fails } = await setUp(dialect);
    const add = (...rest: string[]) => ["task", "add", "test.lines", "--account", "acme", ...rest];
    const attempts: [string[], 1 | 2][] = [
      [["task", "add", "no.such.kind"], 2],
      [["task", "add", "test.internal"], 2],
      [add("--payload", "{"), 2],
      [add("--payload", '{"lines":-1}'), 2],
      [add("--expression", "every day"), 2],
      [add("--expression", "@daily", "--timezone", "Mars/Olympus"), 2],
      [add("--timezone", "UTC"), 2],
      [add("--priority", "12"), 2],
      [add("--delay", "-5"), 2],
      [add("--run-at", "2001-01-01T00:00:00Z"), 2],
      [["task", "list", "--state", "done"], 2],
      [["task", "show", "task_missing"], 1],
      [["task", "run", "../etc"], 1],
    ];
    const refusals: string[] = [];
    for (
      let i = 0;
      i < attempts.length;
      i += 4 // a few processes at a time
    )
      refusals.push(...(await Promise.all(attempts.slice(i, i + 4).map(([a, n]) => fails(a, n)))));
    expect(refusals.map((r) => r.split(": ").slice(0, 2).join(": "))).toEqual([
      "steward: <kind>",
      "steward: <kind>",
      "steward: --payload",
      "steward: --payload",
      "steward: --expression",
      "steward: --timezone",
      "steward: --timezone",
      "steward: --priority",
      "steward: --delay",
      "steward: --run-at",
      "steward: --state",
      "steward: task task_missing not found",
      "steward: task ../etc not found",
    ]);
    expect(refusals[3]).toMatch(/^steward: --payload: lines: /);
    expect((await json<Page<TaskJson>>(["task", "list"])).items).toEqual([]);
  }, 180_000);

  it("logs --follow prints lines as the task writes them, until it ends", async () => {
    const { c, env, run, json, ok } = await setUp(dialect);
    const task = await json<TaskJson>([
      ...["task", "add", "test.lines", "--account", "acme", "--disabled"],
      ...["--payload", '{"lines":4,"delayMs":150}'],
    ]);
    const settings = loadSettings({ STEWARD_DATA_DIR: c.dataDir, ...env });
    const worker: Services = await createServices(
      settings,
      openDatabase(settings),
      pino({ level: "silent" }),
    );
    try {
      registerTestKinds(worker.engine.registry);
      worker.engine.startWorker();
      const following = run(["task", "logs", task.id, "--follow"]);
      await new Promise((r) => setTimeout(r, 500)); // it now waits on a queued, disabled task
      await json(["task", "run", task.id]);
      const r = await following;
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines.map((l) => l.replace(/^\S+\s+INFO\s+/, ""))).toEqual([
        "line 1",
        "line 2",
        "line 3",
        "line 4",
        `task ${task.id} succeeded`,
      ]);
      const page = await json<Page<{ message: string }>>(["task", "logs", task.id, "--limit", "3"]);
      expect(page.items.map((l) => l.message)).toEqual(["line 1", "line 2", "line 3"]);
      const rest = await ok(["task", "logs", task.id, "--cursor", page.nextCursor ?? ""]);
      expect(rest).toMatch(/^\S+\s+INFO\s+line 4\n$/);
    } finally {
      await worker.engine.stop();
      await worker.db.close();
    }
  }, 180_000);
});
