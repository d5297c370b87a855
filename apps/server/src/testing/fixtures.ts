// A small world of accounts, users, grants and API keys for the access matrix and the
// hostile-input tests: one user per kind of actor, each with its own API key.
import { sql } from "kysely";
import type { Database } from "../db/schema.ts";
import type { TestServer } from "./harness.ts";

export const ACTORS = [
  "super",
  "accountAdmin",
  "operator",
  "reader",
  "noGrant",
  "otherAdmin",
  "narrowKey",
] as const;
export type ActorName = (typeof ACTORS)[number];

export interface World {
  s: TestServer;
  /** account A, where accountAdmin, operator and reader hold their grants */
  a: string;
  /** account B, administered by otherAdmin */
  b: string;
  userIds: Record<ActorName, string>;
  keys: Record<ActorName, string>;
  /** the id of each actor's API key */
  keyIds: Record<ActorName, string>;
  /** a user no actor is, to act upon (members, passwords, grants) */
  target: string;
  /** a group no actor is in */
  group: string;
  /** a unique lowercase suffix for slugs, names and emails */
  unique(): string;
  /** a new account where each actor holds the same grants as on A */
  mirrorOfA(): Promise<string>;
  /** a new, empty group */
  freshGroup(): Promise<string>;
}

export async function buildWorld(s: TestServer): Promise<World> {
  let n = 0;
  const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;
  const account = async (slug: string) =>
    (await s.svc.accounts.create(s.cli, { slug, name: `Account ${slug}` })).id;
  const a = await account("acc-a");
  const b = await account("acc-b");

  const superUser = await s.createUser("super@example.com", { super: true });
  const userIds: Record<ActorName, string> = {
    super: superUser.id,
    accountAdmin: (await s.createUser("account-admin@example.com")).id,
    operator: (await s.createUser("operator@example.com")).id,
    reader: (await s.createUser("reader@example.com")).id,
    noGrant: (await s.createUser("no-grant@example.com")).id,
    otherAdmin: (await s.createUser("other-admin@example.com")).id,
    narrowKey: superUser.id,
  };
  const onA = { accountAdmin: "admin", operator: "operate", reader: "read" } as const;
  const grantOn = async (accountId: string, who: ActorName, role: "admin" | "operate" | "read") =>
    s.svc.grants.set(s.cli, {
      principalType: "user",
      principalId: userIds[who],
      scopeType: "account",
      scopeId: accountId,
      role,
    });
  const mirror = async (accountId: string) => {
    for (const [who, role] of Object.entries(onA)) await grantOn(accountId, who as ActorName, role);
  };
  await mirror(a);
  await grantOn(b, "otherAdmin", "admin");

  const keys = {} as Record<ActorName, string>;
  const keyIds = {} as Record<ActorName, string>;
  for (const who of ACTORS) {
    const scopes = who === "narrowKey" ? ["read"] : ["*"];
    keys[who] = await s.apiKey(userIds[who], scopes);
    keyIds[who] = await keyIdOf(s, keys[who]);
  }

  const target = (await s.createUser("target@example.com")).id;
  const freshGroup = async () =>
    (await s.svc.groups.create(s.cli, { name: `g-${unique()}`, description: "" })).id;
  const group = await freshGroup();
  return {
    s,
    a,
    b,
    userIds,
    keys,
    keyIds,
    target,
    group,
    unique,
    async mirrorOfA() {
      const id = await account(`m-${unique()}`);
      await mirror(id);
      return id;
    },
    freshGroup,
  };
}

/** The id of an API key, from the key itself. */
export async function keyIdOf(s: TestServer, key: string): Promise<string> {
  const r = await s.svc.auth.api.verifyApiKey({ body: { key } });
  if (!r.valid || !r.key) throw new Error("the test API key does not verify");
  return r.key.id;
}

/** Tables whose row counts must not move when a request is refused. */
export const WATCHED_TABLES = [
  "auth_user",
  "auth_account",
  "auth_session",
  "accounts",
  "groups",
  "group_members",
  "grants",
  "auth_apikey",
  "settings",
  "audit_events",
  "tasks",
  "task_logs",
  "nodes",
  "node_enrollments",
  "pki",
  "sites",
  "site_domains",
  "notification_channels",
  "message_templates",
  "monitors",
  "monitor_results",
  "database_servers",
  "mail_domains",
  "mailboxes",
  "mail_aliases",
] as const satisfies readonly (keyof Database)[];

export async function rowCounts(s: TestServer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of WATCHED_TABLES) {
    const r = await s.svc.db.db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

/** Columns using an API key updates: using a key is not a change. */
const KEY_USAGE = new Set([
  "lastRequest",
  "requestCount",
  "remaining",
  "lastRefillAt",
  "updatedAt",
]);

/** Every row of the watched tables, serialized and sorted: equal snapshots mean no write. */
export async function snapshot(s: TestServer): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of WATCHED_TABLES) {
    const plain = (k: string, v: unknown) =>
      table === "auth_apikey" && KEY_USAGE.has(k)
        ? undefined
        : typeof v === "bigint"
          ? v.toString()
          : v;
    const rows = await s.svc.db.db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r, plain)).sort();
  }
  return out;
}
