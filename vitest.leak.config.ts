import { globSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Test files running at once. Most files wait on real servers (PostgreSQL, nginx, Chromium…)
 * rather than compute, so more files than cores overlap that waiting (CONTRIBUTING.md,
 * "Tests"): the cores, at least 3 and at most 8 (memory, PostgreSQL's connections).
 * STEWARD_TEST_WORKERS overrides (1: one file at a time).
 */
const workers =
  Number(process.env.STEWARD_TEST_WORKERS) || Math.min(8, Math.max(3, availableParallelism()));

const include = [
  "apps/*/src/**/*.test.ts",
  "apps/web/e2e/**/*.test.ts",
  "apps/web/tools/**/*.test.ts",
  "packages/*/src/**/*.test.ts",
  "tools/**/*.test.ts",
  "bench/**/*.test.ts",
];

const root = import.meta.dirname;
const read = (file: string) => readFileSync(join(root, file), "utf8");
/** test helpers that keep a file's state at module level (a fake started at import, stopped in a top-level afterAll) */
const statefulHelpers = globSync("apps/server/src/testing/*.ts", { cwd: root })
  .filter((f) => /^(afterAll|beforeAll|afterEach|beforeEach)\(/m.test(read(f)))
  .map((f) => f.replace(/^apps\/server\/src\/|\.ts$/g, ""));
/**
 * The panel's API tests share their worker's modules (`isolate: false`): each of them imports
 * the whole server (~2 s, most of its set-up), once per worker instead of once per file. Only
 * files that start their panel through the harness (testing/use-server, task-world, harness),
 * mock nothing (vi.mock, spyOn, stubs, fake timers), run no agent in the test's process
 * (testing/real-node, @steward/agent: not measured shared) and import none of the stateful
 * helpers above: each builds its own services, database and app, which nothing at module
 * level keeps.
 */
const shared = globSync("apps/server/src/**/*.test.ts", { cwd: root }).filter((f) => {
  const src = read(f);
  return (
    /testing\/(use-server|task-world|harness)\.ts"/.test(src) &&
    !/\bvi\.(mock|doMock|spyOn|stub|useFakeTimers)/.test(src) &&
    !/@steward\/agent|testing\/real-node\.ts"/.test(src) &&
    !statefulHelpers.some((h) => src.includes(h))
  );
});

const common = {
  // generous: on a slow 2-core machine running three files at once, a set-up that starts a
  // panel, a WordPress (MariaDB, php-fpm, nginx) and Chromium took over a minute; a passing
  // test never waits on these, a hung one is still stopped
  testTimeout: 120_000,
  // files run side by side on few cores: a condition polled for may take longer than
  // expect.poll's default second to hold (a poll ends as soon as it holds)
  expect: { poll: { timeout: 10_000 } },
  hookTimeout: 120_000,
  // a test failing on a loaded machine runs again, twice at most (its beforeEach/afterEach
  // too); a file's beforeAll is not retried. Two or three of the ~3,450 tests failed per full
  // run on a slow 2-core machine, each a different one each time (a wait outrun by the load);
  // one that fails three times fails the run (`--reporter=verbose` marks the retried: "retry x1")
  retry: 2,
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    maxWorkers: workers,
    globalSetup: ["packages/testkit/src/global-setup.ts"],
    projects: [
      {
        test: {
          ...common,
          name: "isolated",
          include,
          exclude: [...configDefaults.exclude, ...shared],
        },
      },
      { test: { ...common, name: "api", include: shared, isolate: false, setupFiles: ["/tmp/leak-setup.ts"] } },
    ],
  },
});
