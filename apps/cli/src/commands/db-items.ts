// `steward database …` and `steward db-user …` (issue 14): databases and their users on
// Steward's database servers. Input passes the API's own schemas, so the CLI refuses what
// the API refuses, naming the option; a generated password is printed once (create, rotate)
// and on `password` (admins only, audited). A delete needs --yes or the name typed again.
// (`steward db migrate` is the panel's own database; these are the servers' databases.)
import { v } from "@steward/contracts";
import {
  confirmQuery,
  databaseCreate,
  databaseListQuery,
  databaseUserCreate,
  userGrants,
  userRevoke,
} from "@steward/contracts/databases";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import type { z } from "zod";
import {
  accountIdOf,
  databaseServerIdOf,
  type GlobalOptions,
  pageOptions,
  parse,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { databaseSizesCommand } from "./db-sizes.ts";
import { listCommand, lookup } from "./shapes.ts";

const DATABASE_COLUMNS = ["id", "name", "server", "engine", "sizeBytes", "adopted"];
const USER_COLUMNS = ["id", "name", "server", "engine", "hosts", "hasPassword"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const LIST_OPTIONS: [string, string][] = [
  ["--account <account>", "id or slug"],
  ["--server <server>", "the database server's id"],
  ["--engine <engine>", "mariadb or postgres"],
];
const LIST_NAMES = { account: "--account", server: "--server", engine: "--engine", sort: "--sort" };

/** `--yes`, or the name given again with --confirm: what a delete needs. */
export function confirmation(o: { yes?: boolean; confirm?: string }, name: () => Promise<string>) {
  return o.yes
    ? name()
    : Promise.resolve(
        parse(confirmQuery, { confirm: o.confirm ?? "" }, { confirm: "--confirm" }).confirm,
      );
}

/** `list` (by account, server and engine) and `show <id>` of databases or users. */
function listAndShow(
  parent: Command,
  g: () => GlobalOptions,
  columns: string[],
  service: (svc: Services) => {
    get(ctx: Ctx, id: string): Promise<unknown>;
    list(ctx: Ctx, f: z.infer<typeof databaseListQuery> & { limit: number }): Promise<unknown>;
  },
) {
  listCommand(parent, LIST_OPTIONS, ["name", "createdAt"]).action(async (o) => {
    const f = parse(
      databaseListQuery,
      { account: o.account, server: o.server, engine: o.engine, sort: o.sort },
      LIST_NAMES,
    );
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      print(g(), await service(svc).list(ctx, { ...f, account, ...pageOptions(o) }), columns);
    });
  });
  lookup(parent, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => service(svc).get(ctx, ref),
  });
}

export function databaseCommands(program: Command, g: () => GlobalOptions) {
  const database = program
    .command("database")
    .description("databases on Steward's database servers (not `steward db`, the panel's own)");
  listAndShow(database, g, DATABASE_COLUMNS, (svc) => svc.databaseItems);
  databaseSizesCommand(database, g);
  database
    .command("create")
    .description("creates a database on a server")
    .requiredOption("--server <server>", "the database server's id")
    .requiredOption("--name <name>", "lowercase letters, digits and _")
    .option("--charset <charset>", "MariaDB: utf8mb4, latin1…")
    .option("--collation <collation>", "MariaDB: utf8mb4_unicode_ci…")
    .option("--encoding <encoding>", "PostgreSQL: UTF8, LATIN1…")
    .option("--locale <locale>", "PostgreSQL: C.UTF-8…")
    .option("--owner <user>", "PostgreSQL: an existing user that owns it")
    .action(async (o) => {
      const input = parse(
        databaseCreate,
        {
          serverId: o.server,
          name: o.name,
          charset: o.charset,
          collation: o.collation,
          encoding: o.encoding,
          locale: o.locale,
          owner: o.owner,
        },
        {
          serverId: "--server",
          name: "--name",
          charset: "--charset",
          collation: "--collation",
          encoding: "--encoding",
          locale: "--locale",
          owner: "--owner",
        },
      );
      await withServices(g(), async (svc, ctx) => {
        const serverId = await databaseServerIdOf(svc, ctx, input.serverId);
        print(g(), await svc.databaseItems.create(ctx, { ...input, serverId }), DATABASE_COLUMNS);
      });
    });
  database
    .command("delete")
    .description("drops a database on its server (cannot be undone)")
    .argument("<id>")
    .option("--confirm <name>", "the database's name, typed again")
    .option("--yes", "confirm without typing the name")
    .action(async (id, o) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const confirm = await confirmation(
          o,
          async () => (await svc.databaseItems.get(ctx, ref)).name,
        );
        await svc.databaseItems.drop(ctx, ref, confirm);
        print(g(), { deleted: ref });
      });
    });
}

const grantOf = (databaseId: string, level: string, privileges?: string) => ({
  databaseId,
  level:
    level === "custom"
      ? {
          kind: "custom",
          privileges: (privileges ?? "")
            .split(",")
            .map((p) => p.trim())
            .filter(Boolean),
        }
      : { kind: level },
});

export function dbUserCommands(program: Command, g: () => GlobalOptions) {
  const user = program
    .command("db-user")
    .description("users of Steward's database servers, their passwords and grants");
  listAndShow(user, g, USER_COLUMNS, (svc) => svc.databaseUsers);
  user
    .command("create")
    .description("creates a user with a generated password (printed once) and its grants")
    .requiredOption("--server <server>", "the database server's id")
    .requiredOption("--name <name>", "lowercase letters, digits and _")
    .option("--host <pattern...>", "MariaDB: where it connects from (default localhost)")
    .option("--connection-limit <n>", "simultaneous connections")
    .option("--database <id>", "grant this database")
    .option("--level <level>", "all, read-only or custom", "all")
    .option("--privileges <list>", "custom: SELECT,INSERT…")
    .action(async (o) => {
      const input = parse(
        databaseUserCreate,
        {
          serverId: o.server,
          name: o.name,
          hosts: o.host,
          connectionLimit: o.connectionLimit === undefined ? null : Number(o.connectionLimit),
          grants: o.database ? [grantOf(o.database, o.level, o.privileges)] : [],
        },
        {
          serverId: "--server",
          name: "--name",
          hosts: "--host",
          connectionLimit: "--connection-limit",
          grants: "--database",
          "grants.0.level": "--level",
          "grants.0.level.privileges": "--privileges",
        },
      );
      await withServices(g(), async (svc, ctx) => {
        const serverId = await databaseServerIdOf(svc, ctx, input.serverId);
        const made = await svc.databaseUsers.create(ctx, { ...input, serverId });
        print(g(), made, [...USER_COLUMNS, "password"]);
      });
    });
  user
    .command("rotate")
    .description(
      "sets a new password (printed once), proven by logging in; the old one stops working",
    )
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.databaseUsers.rotate(ctx, ref), ["id", "name", "password"]),
      );
    });
  user
    .command("password")
    .description("prints the user's current password (the server's admins only; audited)")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const { password } = await svc.databaseUsers.password(ctx, ref);
        if (g().json) print(g(), { password });
        else process.stdout.write(`${password}\n`);
      });
    });
  user
    .command("grant")
    .description("grants a database of its server to the user")
    .argument("<id>")
    .requiredOption("--database <id>", "the database's id")
    .option("--level <level>", "all, read-only or custom", "all")
    .option("--privileges <list>", "custom: SELECT,INSERT…")
    .action(async (id, o) => {
      const ref = idArg(id);
      const body = parse(
        userGrants,
        { grants: [grantOf(o.database, o.level, o.privileges)] },
        {
          grants: "--database",
          "grants.0.databaseId": "--database",
          "grants.0.level": "--level",
          "grants.0.level.privileges": "--privileges",
        },
      );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.databaseUsers.grant(ctx, ref, body), USER_COLUMNS),
      );
    });
  user
    .command("revoke")
    .description("takes every privilege of the user on a database")
    .argument("<id>")
    .requiredOption("--database <id>", "the database's id")
    .action(async (id, o) => {
      const ref = idArg(id);
      const body = parse(userRevoke, { databaseIds: [o.database] }, { databaseIds: "--database" });
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.databaseUsers.revoke(ctx, ref, body.databaseIds), USER_COLUMNS),
      );
    });
  user
    .command("delete")
    .description("drops a user on its server (cannot be undone)")
    .argument("<id>")
    .option("--confirm <name>", "the user's name, typed again")
    .option("--yes", "confirm without typing the name")
    .action(async (id, o) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const confirm = await confirmation(
          o,
          async () => (await svc.databaseUsers.get(ctx, ref)).name,
        );
        await svc.databaseUsers.drop(ctx, ref, confirm);
        print(g(), { deleted: ref });
      });
    });
}
