// A closed standard output (`steward … | head -5`): the CLI ends quietly with 141 (128 +
// SIGPIPE), no stack trace, whichever command writes into it — a short one, help (0: it has
// ended before the failed write is reported), the agent's side, and one following a running task's log (a worker of this test process runs
// it and holds it until cancelled).
import { join } from "node:path";
import { createServices, loadSettings, openDatabase, type Services } from "@steward/server";
import { registerTestKinds } from "@steward/server/testing/task-kinds";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSED_PIPE_EXIT } from "./pipe.ts";
import { type CliResult, cliFor, removeDataDirs, repoRoot } from "./testing/cli.ts";

afterAll(removeDataDirs);

const preload = join(repoRoot, "apps/cli/src/testing/task-kinds.ts");
const closed = { closedStdout: true, timeoutMs: 60_000 };

const endedQuietly = (r: CliResult, code = CLOSED_PIPE_EXIT) => {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(code);
};

describe("a closed standard output", () => {
  const c = cliFor();
  beforeAll(() => c.ok(["account", "create", "--slug", "ops", "--name", "Ops"]), 60_000);

  // help exits (0) as soon as it has written, before the failed write is reported
  it.concurrent.each([
    ["a list", ["account", "list"], CLOSED_PIPE_EXIT],
    ["JSON", ["--json", "account", "list"], CLOSED_PIPE_EXIT],
    ["a command's help", ["backup", "plan", "add", "--help"], 0],
    ["the agent's help", ["agent", "--help"], 0],
  ])("ends %s quietly", async (_, args, code) => {
    endedQuietly(await c.run(args, closed), code);
  });

  it("ends a command following a running task's log", async () => {
    const settings = loadSettings({ STEWARD_DATA_DIR: c.dataDir });
    const worker: Services = await createServices(
      settings,
      openDatabase(settings),
      pino({ level: "silent" }),
    );
    try {
      registerTestKinds(worker.engine.registry);
      const task = await c.json<{ id: string }>(
        ["task", "add", "test.lines", "--payload", '{"lines":1,"hold":true}'],
        { preload },
      );
      worker.engine.startWorker();
      endedQuietly(await c.run(["task", "logs", task.id, "--follow"], { ...closed, preload }));
      // it stopped writing, not the task: that still runs until cancelled
      const { state } = await c.json<{ state: string }>(["task", "show", task.id]);
      expect(state).toBe("running");
      await c.ok(["task", "cancel", task.id]);
    } finally {
      await worker.engine.stop();
      await worker.db.close();
    }
  }, 120_000);
});
