import { globSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

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
const shared = globSync("apps/server/src/**/*.test.ts").filter((f) => {
  const src = readFileSync(f, "utf8");
  return /testing\/(use-server|task-world|harness)\.ts"/.test(src) && !/\bvi\.(mock|spyOn|stub|useFake)/.test(src);
});
const common = {
  testTimeout: 60_000,
  expect: { poll: { timeout: 10_000 } },
  hookTimeout: 60_000,
  pool: "forks" as const,
};
export default defineConfig({
  test: {
    maxWorkers: workers,
    globalSetup: ["packages/testkit/src/global-setup.ts"],
    projects: [
      { test: { ...common, name: "isolated", include, exclude: [...configDefaults.exclude, ...shared] } },
      { test: { ...common, name: "shared", include: shared, isolate: false } },
    ],
  },
});
