import { defineConfig } from "vitest/config";

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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["packages/testkit/src/global-setup.ts"],
  },
});
