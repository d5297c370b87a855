// Steward's side of bench:databases: a real panel (`steward serve`, the e2e kit's startPanel),
// each engine's server added as an external one the panel reaches, then each create through
// the API as a client would (POST /api/v1/databases, then POST /api/v1/database-users with
// every privilege on it: the user's password generated, sealed and answered), and the
// databases list page read at the end.
import { type Panel, startPanel } from "@steward/web/e2e/harness";
import { ADMIN, type BenchServer } from "./servers.ts";

export interface Steward {
  panel: Panel;
  key: string;
  close(): Promise<void>;
}

export async function startSteward(): Promise<Steward> {
  const panel = await startPanel({
    env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" },
  });
  try {
    const key = await panel.setupSuper("bench@example.com");
    return { panel, key, close: () => panel.close() };
  } catch (error) {
    await panel.close();
    throw error;
  }
}

const must = (what: string, r: { status: number; body: unknown }, status: number) => {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string };
};

/** The server as Steward's (a shared external server), its id. */
export async function addServer(s: Steward, server: BenchServer): Promise<string> {
  const made = await s.panel.api("POST", "/api/v1/database-servers", {
    key: s.key,
    body: {
      name: `bench ${server.engine}`,
      engine: server.engine,
      placement: "external",
      host: "127.0.0.1",
      port: server.port,
      adminUser: ADMIN.user,
      adminPassword: ADMIN.password,
      tls: { mode: "disable" },
    },
  });
  return must("the server", made, 201).id;
}

/** One create through the API: database `d`, user `u` with every privilege on it. */
export async function stewardCreate(s: Steward, serverId: string, d: string, u: string) {
  const database = must(
    `database ${d}`,
    await s.panel.api("POST", "/api/v1/databases", {
      key: s.key,
      body: { serverId, name: d },
    }),
    201,
  );
  must(
    `user ${u}`,
    await s.panel.api("POST", "/api/v1/database-users", {
      key: s.key,
      body: { serverId, name: u, grants: [{ databaseId: database.id, level: { kind: "all" } }] },
    }),
    201,
  );
}

/** One read of the databases list's first page (the console's page size), of `total`. */
export async function readList(s: Steward, total: number) {
  const page = await s.panel.api("GET", "/api/v1/databases?limit=50", { key: s.key });
  if (page.status !== 200 || page.body.items.length !== Math.min(50, total))
    throw new Error(`the list: ${page.status} ${JSON.stringify(page.body).slice(0, 300)}`);
}
