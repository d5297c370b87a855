import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * Test files running at once. Most files wait on real servers (PostgreSQL, nginx, Chromium…)
 * rather than compute, so more files than cores overlap that waiting (CONTRIBUTING.md,
 * "Tests"): the cores, at least 3 and at most 8 (memory, PostgreSQL's connections).
 * STEWARD_TEST_WORKERS overrides (1: one file at a time).
 */
const workers =
  Number(process.env.STEWARD_TEST_WORKERS) || Math.min(8, Math.max(3, availableParallelism()));

export default defineConfig({
  test: {
    include: [
      "apps/*/src/**/*.test.ts",
      "apps/web/e2e/**/*.test.ts",
      "apps/web/tools/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "tools/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    testTimeout: 60_000,
    // files run side by side on few cores: a condition polled for may take longer than
    // expect.poll's default second to hold (a poll ends as soon as it holds)
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: workers,
    globalSetup: ["packages/testkit/src/global-setup.ts"],
  },
});
