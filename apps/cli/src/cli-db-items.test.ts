// The real `steward` CLI as a child process: databases and their users on an external
// PostgreSQL (a hermetic one, over TCP; the installation's allow list names 127.0.0.1). The
// password is printed once by create and rotate, again only by `password`; a delete needs
// --yes or the name typed again; refused input names the option and writes nothing.
import { type PostgresServer, startPostgres } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

const ADMIN_PASSWORD = "cli-db-admin-1";
let postgres: PostgresServer;

beforeAll(async () => {
  const started = await startPostgres({ passwords: true });
  if (!started) throw new Error("PostgreSQL is needed");
  postgres = started;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_PASSWORD}'`);
  await client.end();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
  removeDataDirs();
});

interface Named {
  id: string;
  name: string;
}
interface UserJson extends Named {
  password: string;
  grants: { database: string; level: { kind: string } }[];
}

describe("steward database and db-user", () => {
  it("creates, grants, rotates and deletes on a real server; refuses bad input naming the option", async () => {
    const c = cliFor(undefined, {
      STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      STEWARD_DB_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    const account = await c.json<Named>(["account", "create", "--slug", "shop", "--name", "Shop"]);
    const server = await c.json<Named>([
      ...["db-server", "add", "--name", "pg", "--engine", "postgres", "--host", "127.0.0.1"],
      ...["--port", String(postgres.port), "--admin-user", "admin", "--tls", "disable"],
      ...["--account", account.id],
    ]);
    const create = (name: string, ...more: string[]) =>
      c.json<Named>(["database", "create", "--server", server.id, "--name", name, ...more]);
    const [db, other] = await Promise.all([create("shop"), create("blog", "--encoding", "UTF8")]);
    const user = await c.json<UserJson>([
      ...["db-user", "create", "--server", server.id, "--name", "shop_user"],
      ...["--database", db.id, "--level", "read-only"],
    ]);
    expect(user.password).toHaveLength(32);
    expect(user.grants).toEqual([expect.objectContaining({ database: "shop" })]);
    const rotated = await c.json<UserJson>(["db-user", "rotate", user.id]);
    expect(rotated.password).not.toBe(user.password);
    const [password, shown, granted] = await Promise.all([
      c.ok(["db-user", "password", user.id]),
      c.ok(["db-user", "show", user.id]),
      c.json<UserJson>([
        ...["db-user", "grant", user.id, "--database", other.id, "--level", "custom"],
        ...["--privileges", "CONNECT,SELECT"],
      ]),
    ]);
    expect(password.trim()).toBe(rotated.password);
    expect(shown).not.toContain(rotated.password);
    expect(granted.grants.map((g) => g.database)).toEqual(["blog", "shop"]);
    const revoked = await c.json<UserJson>(["db-user", "revoke", user.id, "--database", other.id]);
    expect(revoked.grants.map((g) => g.database)).toEqual(["shop"]);

    const refusals = await Promise.all([
      c.fails(["database", "create", "--server", server.id, "--name", "a;b"], 1),
      c.fails(
        ["database", "create", "--server", server.id, "--name", "x", "--charset", "utf16"],
        2,
      ),
      c.fails(
        ["db-user", "create", "--server", server.id, "--name", "u", "--connection-limit", "0"],
        2,
      ),
      c.fails(["database", "delete", db.id], 1),
      c.fails(["db-user", "delete", user.id, "--confirm", "nope"], 1),
    ]);
    expect(refusals[0]).toContain("name: must not contain semicolons");
    expect(refusals[1]).toContain("--charset");
    expect(refusals[2]).toContain("--connection-limit");
    expect(refusals[3]).toContain("confirm");
    expect(refusals[4]).toContain("confirm");
    const [databases, users] = await Promise.all([
      c.json<Page<Named>>(["database", "list", "--server", server.id, "--sort", "name"]),
      c.json<Page<Named>>(["db-user", "list", "--server", server.id]),
    ]);
    expect(databases.items.map((d) => d.name)).toEqual(["blog", "shop"]);
    expect(users.items.map((u) => u.name)).toEqual(["shop_user"]);
    // the account's databases together (not sized yet: the hourly task has not run)
    const [sizes, sizesText, badAccount, noAccount] = await Promise.all([
      c.json<{ databases: number; sizeBytes: number; days: unknown[] }>([
        "database",
        "sizes",
        "--account",
        "shop",
      ]),
      c.ok(["database", "sizes", "--account", account.id]),
      c.fails(["database", "sizes", "--account", "a'; drop table databases; --"], 2),
      c.fails(["database", "sizes", "--account", "acc_missing"], 2),
    ]);
    expect(sizes).toMatchObject({ databases: 2, sizeBytes: 0, days: [] });
    expect(sizesText).toMatch(/databases\s+2/);
    expect(badAccount).toContain("--account");
    expect(noAccount).toContain("acc_missing");

    const deleted = await Promise.all([
      c.json(["db-user", "delete", user.id, "--confirm", "shop_user"]),
      c.json(["database", "delete", other.id, "--yes"]),
    ]);
    expect(deleted).toEqual([{ deleted: user.id }, { deleted: other.id }]);

    // the engine filter, and changing and removing the server
    const [postgresOnes, mariadbOnes, badEngine, renamed, badPort, busy] = await Promise.all([
      c.json<Page<Named>>(["database", "list", "--engine", "postgres"]),
      c.json<Page<Named>>(["db-user", "list", "--engine", "mariadb"]),
      c.fails(["database", "list", "--engine", "oracle"], 2),
      c.json<Named>(["db-server", "update", server.id, "--name", "pg main"]),
      c.fails(["db-server", "update", server.id, "--port", "0"], 2),
      c.fails(["db-server", "remove", server.id, "--yes"], 1),
    ]);
    expect(postgresOnes.items.map((d) => d.name)).toEqual(["shop"]);
    expect(mariadbOnes.items).toEqual([]);
    expect(badEngine).toContain("--engine");
    expect(renamed.name).toBe("pg main");
    expect(badPort).toContain("--port");
    expect(busy).toContain("Steward still manages 1 database (shop)");
    await c.json(["database", "delete", db.id, "--yes"]);
    expect(await c.fails(["db-server", "remove", server.id, "--confirm", "pg"], 1)).toContain(
      "confirm",
    );
    expect(await c.json(["db-server", "remove", server.id, "--confirm", "pg main"])).toEqual({
      removed: server.id,
    });
    expect(await c.auditActions("database-user.*")).toEqual([
      "database-user.create",
      "database-user.delete",
      "database-user.grant",
      "database-user.password.read",
      "database-user.revoke",
      "database-user.rotate",
    ]);
  }, 600_000);
});
