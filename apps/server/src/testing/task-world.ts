// A test server with the test task kinds registered and the fixture world built: the
// common start of the task API tests and the access matrix.
import type { DialectName } from "@steward/testkit";
import { beforeAll } from "vitest";
import { buildWorld, type World } from "./fixtures.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { registerTestKinds } from "./task-kinds.ts";
import { useServer, useWorld } from "./use-server.ts";

/** Started and closed by the test itself. */
export async function startTaskWorld(dialect: DialectName): Promise<{ s: TestServer; w: World }> {
  const s = await startTestServer(dialect);
  registerTestKinds(s.svc.engine.registry);
  return { s, w: await buildWorld(s) };
}

/** For the calling `describe`: started before its tests, closed after (use-server.ts). */
export function useTaskWorld(dialect: DialectName): { s: TestServer; w: World } {
  const s = useServer(dialect);
  beforeAll(() => registerTestKinds(s.svc.engine.registry));
  return { s, w: useWorld(s) };
}

/** Hour and minute of an instant in a time zone, "03:00". */
export const clock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(
    new Date(iso),
  );
