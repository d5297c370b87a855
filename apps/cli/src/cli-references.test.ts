// The real `steward` CLI as a child process: every command naming an account takes its slug
// or its id, a node its name or its id, a database server its id, through one resolver
// (context.ts); one that is not there is refused naming the option (exit 2) and nothing is
// written. Destinations and servers are kept with --save-anyway (their hosts do not resolve:
// the reference is what is tested); a node is added, not enrolled, so the service's own
// refusal of it shows it was found.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

const c = cliFor();
const secret = { env: { STEWARD_BACKUP_SECRET: "k", STEWARD_DB_ADMIN_PASSWORD: "pw" } };
const ids = { account: "", node: "", server: "", source: "", destination: "" };

const destination = (account: string, n: string) => [
  ...["backup", "destination", "add", "--name", `d-${n}`, "--kind", "s3", "--account", account],
  ...["--endpoint", "https://s3.example.invalid", "--bucket", "bkt", "--access-key-id", "k"],
  "--save-anyway",
];
const server = (account: string, n: string) => [
  ...["db-server", "add", "--name", `m-${n}`, "--engine", "mariadb", "--account", account],
  ...["--host", "db.example.invalid", "--port", "3306", "--admin-user", "root", "--save-anyway"],
];

beforeAll(async () => {
  ids.account = (
    await c.json<{ id: string }>(["account", "create", "--slug", "ops", "--name", "Ops"])
  ).id;
  const node = await c.json<{ id: string }>([
    "node",
    "add",
    "--name",
    "web-1",
    "--agent-url",
    "https://w.example.com:7443",
  ]);
  // the server is reached through the node: a backup source reads it there
  const [made, dest] = await Promise.all([
    c.json<{ id: string }>([...server("ops", "base"), "--via-node", "web-1"], secret),
    c.json<{ id: string }>(destination("ops", "base"), secret),
    c.ok(["user", "create", "--email", "x@example.com", "--password", "a long password 1"]),
  ]);
  ids.node = node.id;
  ids.server = made.id;
  ids.destination = dest.id;
  ids.source = (
    await c.json<{ id: string }>([
      ...["backup", "source", "add", "--name", "base", "--account", "ops", "--kind", "server"],
      ...["--server", ids.server, "--save-anyway"],
    ])
  ).id;
}, 120_000);

type Row = [string, (ref: string, n: string) => string[], string[]];
/** A command naming an account (ref) that creates something (n keeps names apart), its list. */
const byAccount: Row[] = [
  ["backup destination add", destination, ["backup", "destination", "list"]],
  [
    "backup source add",
    (ref, n) => [
      ...["backup", "source", "add", "--name", `s-${n}`, "--account", ref, "--kind", "server"],
      ...["--server", ids.server, "--save-anyway"],
    ],
    ["backup", "source", "list"],
  ],
  [
    "backup plan add",
    (ref, n) => [
      ...["backup", "plan", "add", "--name", `p-${n}`, "--account", ref],
      ...["--sources", ids.source, "--destinations", ids.destination],
    ],
    ["backup", "plan", "list"],
  ],
  ["db-server add", server, ["db-server", "list"]],
  [
    "status-page add",
    (ref, n) => ["status-page", "add", "--slug", `page-${n}`, "--title", "T", "--account", ref],
    ["status-page", "list"],
  ],
  [
    "grant set",
    (ref, n) => [
      ...["grant", "set", "--user", "x@example.com", "--account", ref],
      ...["--role", n === "slug" ? "read" : "operate"],
    ],
    ["grant", "list"],
  ],
];

type Made = { accountId?: string; scopeId?: string };

describe("references on the command line", () => {
  it.concurrent.each(byAccount)(
    "%s: an account by slug or id, an unknown one refused",
    async (_, args, list) => {
      const [before] = await c.snapshot([list]);
      const refusals = await Promise.all(
        ["nope", "acc_00000000000000000000000000"].map((unknown) =>
          c.fails(args(unknown, "unknown"), 2, secret),
        ),
      );
      expect(refusals).toEqual([
        "steward: --account: account nope not found",
        "steward: --account: account acc_00000000000000000000000000 not found",
      ]);
      expect(await c.snapshot([list])).toEqual([before]);
      const made = await Promise.all([
        c.json<Made>(args("ops", "slug"), secret),
        c.json<Made>(args(ids.account, "id"), secret),
      ]);
      for (const m of made) expect(m.accountId ?? m.scopeId).toBe(ids.account);
    },
    240_000,
  );

  it.concurrent("reads an account's database sizes by slug or id", async () => {
    const sizes = ["database", "sizes", "--account"];
    const [bySlug, byId, unknown] = await Promise.all([
      c.json([...sizes, "ops"]),
      c.json([...sizes, ids.account]),
      c.fails([...sizes, "nope"], 2),
    ]);
    expect(bySlug).toMatchObject({ accountId: ids.account });
    expect(byId).toEqual(bySlug);
    expect(unknown).toBe("steward: --account: account nope not found");
  }, 120_000);

  it.concurrent("finds a node by name or id (then refused: not enrolled), an unknown one named", async () => {
    const source = (node: string) => [
      ...["backup", "source", "add", "--name", "www", "--account", "ops", "--kind", "files"],
      ...["--node", node, "--path", "/srv/www"],
    ];
    const list = [["backup", "source", "list"]];
    const before = await c.snapshot(list);
    const refusals = await Promise.all(
      ["web-1", ids.node, "web-9"].map((ref) => c.fails(source(ref), 2)),
    );
    expect(refusals[0]).toMatch(/^steward: --node: node web-1 is not enrolled/);
    expect(refusals[1]).toBe(refusals[0]);
    expect(refusals[2]).toBe("steward: --node: node web-9 not found");
    expect(await c.snapshot(list)).toEqual(before);
  }, 120_000);

  it.concurrent("names --server for a database server that is not there", async () => {
    const lists = [
      ["database", "list"],
      ["db-user", "list"],
    ];
    const before = await c.snapshot(lists);
    const refusals = await Promise.all(
      [
        ["database", "create", "--name", "shop"],
        ["db-user", "create", "--name", "shop"],
      ].map((command) => c.fails([...command, "--server", "dbs_nothere"], 2)),
    );
    for (const refusal of refusals)
      expect(refusal).toBe("steward: --server: database server dbs_nothere not found");
    expect(await c.snapshot(lists)).toEqual(before);
  }, 120_000);
});
