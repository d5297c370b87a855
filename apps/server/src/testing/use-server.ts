// The start and end of an API test's `describe`, said once: a real server (harness.ts)
// started before the tests, or before each test, and closed after; the fixture world
// (fixtures.ts) built on it. The objects returned are filled in by those hooks: read them
// inside hooks and tests, not while the tests are being collected.
import type { DialectName } from "@steward/testkit";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { buildWorld, type World } from "./fixtures.ts";
import { startTestServer, type TestServer } from "./harness.ts";
import { trustedNode } from "./trusted-node.ts";

export interface UseServerOptions {
  /** settings of the server, as STEWARD_* variables */
  env?: Record<string, string>;
  /** a fresh server for each test (better-auth allows 20 requests a minute per address) */
  perTest?: boolean;
}

/** A test server for the calling `describe`'s tests. */
export function useServer(dialect: DialectName, opts: UseServerOptions = {}): TestServer {
  const server = {} as TestServer;
  const start = async () => {
    Object.assign(server, await startTestServer(dialect, opts.env));
  };
  const stop = async () => {
    await server.close?.();
  };
  if (opts.perTest) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  return server;
}

/**
 * The fixture world (accounts, one user and API key per kind of actor) on `server`; with
 * `trustedNode`, also a trusted node of that name (no agent answers it) as `node`.
 */
export function useWorld(
  server: TestServer,
  opts: { trustedNode?: string } = {},
): World & { node: string } {
  const world = { node: "" } as World & { node: string };
  beforeAll(async () => {
    Object.assign(world, await buildWorld(server));
    if (opts.trustedNode) world.node = await trustedNode(server, opts.trustedNode);
  });
  return world;
}
