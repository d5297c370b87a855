// Vitest global setup: one hermetic PostgreSQL for the whole run; each test file makes its
// own database in it (see databases.ts).
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres();
  project.provide("pgUrl", server?.url ?? null);
  return async () => {
    await server?.stop();
  };
}
