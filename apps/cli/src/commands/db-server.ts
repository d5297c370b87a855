// `steward db-server …`: database servers (issue 14): on a node or external. Input passes the
// API's own schemas (databaseServerCreate, databaseServerListQuery), so the CLI refuses what
// the API refuses, naming the option. An external server's admin password is read from
// STEWARD_DB_ADMIN_PASSWORD, never from the command line (which `ps` shows).
// (`steward db migrate` is the panel's own database; these are the servers it manages.)

import { v } from "@steward/contracts";
import {
  type ConnectionReport,
  databaseServerCreate,
  databaseServerListQuery,
  databaseServerUpdate,
} from "@steward/contracts/databases";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  pageOptions,
  parse,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { confirmation } from "./db-items.ts";
import { listCommand, lookup } from "./shapes.ts";

const COLUMNS = ["id", "name", "engine", "placement", "host", "port", "nodeId", "version"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
export const PASSWORD_ENV = "STEWARD_DB_ADMIN_PASSWORD";

const CREATE_OPTIONS = {
  name: "--name",
  engine: "--engine",
  placement: "--placement",
  nodeId: "--node",
  viaNodeId: "--via-node",
  accountId: "--account",
  host: "--host",
  port: "--port",
  adminUser: "--admin-user",
  adminPassword: PASSWORD_ENV,
  tls: "--tls",
  "tls.mode": "--tls",
  "tls.ca": "--tls-ca",
  saveAnyway: "--save-anyway",
};

function printReport(g: GlobalOptions, report: ConnectionReport) {
  if (g.json) return print(g, report);
  const lines = report.ok
    ? [`connected: ${report.version ?? "?"}, ${report.databases ?? 0} databases`]
    : report.problems.map((p) => `${p.kind}: ${p.message}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function dbServerCommands(program: Command, g: () => GlobalOptions) {
  const server = program
    .command("db-server")
    .description("database servers (MariaDB, PostgreSQL) on nodes or external");
  listCommand(
    server,
    [
      ["--account <account>", "id or slug"],
      ["--node <node>", "the node's id"],
    ],
    ["name", "createdAt"],
  ).action(async (o) => {
    const f = parse(
      databaseServerListQuery,
      { account: o.account, node: o.node, sort: o.sort },
      { account: "--account", node: "--node", sort: "--sort" },
    );
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      print(g(), await svc.databases.list(ctx, { ...f, account, ...pageOptions(o) }), COLUMNS);
    });
  });
  lookup(server, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.databases.get(ctx, ref),
  });
  server
    .command("add")
    .description(
      `adds a server after testing its connection (external: password in ${PASSWORD_ENV})`,
    )
    .requiredOption("--name <name>", "a label")
    .requiredOption("--engine <engine>", "mariadb or postgres")
    .option("--placement <placement>", "on-node or external", "external")
    .option("--node <node>", "on-node: the node (id or name)")
    .option("--account <account>", "id or slug (none: a shared server)")
    .option("--host <host>", "external: host name or address")
    .option("--port <port>", "external: port")
    .option("--admin-user <user>", "external: the admin user")
    .option("--via-node <node>", "external: the node that connects to it (none: the panel)")
    .option("--tls <mode>", "external: disable, require or verify-full", "verify-full")
    .option("--tls-ca <pem>", "external: the CA's PEM certificate(s)")
    .option("--save-anyway", "keep the server even when the connection test fails")
    .action(async (o) => {
      const external = o.placement === "external";
      const input = parse(
        databaseServerCreate,
        {
          name: o.name,
          engine: o.engine,
          placement: o.placement,
          ...(external
            ? {
                host: o.host,
                port: o.port,
                adminUser: o.adminUser,
                adminPassword: process.env[PASSWORD_ENV],
                tls: { mode: o.tls, ca: o.tlsCa ?? null },
                ...(o.viaNode ? { viaNodeId: o.viaNode } : {}),
              }
            : { nodeId: o.node }),
          ...(o.account ? { accountId: o.account } : {}),
          saveAnyway: Boolean(o.saveAnyway),
        },
        CREATE_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const accountId = await accountIdOf(svc, ctx, input.accountId ?? undefined);
        const nodeId = "nodeId" in input ? await nodeIdOf(svc, ctx, input.nodeId) : undefined;
        const via = "viaNodeId" in input ? input.viaNodeId : null;
        const viaNodeId = via === null ? undefined : await nodeIdOf(svc, ctx, via, "--via-node");
        const made = await svc.databases.create(ctx, {
          ...input,
          ...(accountId ? { accountId } : {}),
          ...(nodeId ? { nodeId } : {}),
          ...(viaNodeId ? { viaNodeId } : {}),
        });
        if (g().json) return print(g(), made);
        print(g(), made, COLUMNS);
        printReport(g(), made.test);
      });
    });
  server
    .command("update")
    .description(
      `renames a server, or changes an external server's connection (tested first; a new password from ${PASSWORD_ENV} with --admin-password)`,
    )
    .argument("<id>")
    .option("--name <name>", "a label")
    .option("--host <host>", "external: host name or address")
    .option("--port <port>", "external: port")
    .option("--admin-user <user>", "external: the admin user")
    .option("--via-node <node>", "external: the node that connects to it (none: the panel)")
    .option("--admin-password", `external: a new admin password, read from ${PASSWORD_ENV}`)
    .option("--tls <mode>", "external: disable, require or verify-full")
    .option("--tls-ca <pem>", "external: the CA's PEM certificate(s) (with --tls)")
    .option("--save-anyway", "keep the change even when the connection test fails")
    .action(async (id, o) => {
      const ref = idArg(id);
      const input = parse(
        databaseServerUpdate,
        {
          name: o.name,
          host: o.host,
          port: o.port,
          adminUser: o.adminUser,
          adminPassword: o.adminPassword ? (process.env[PASSWORD_ENV] ?? "") : undefined,
          tls:
            o.tls === undefined && o.tlsCa === undefined
              ? undefined
              : { mode: o.tls, ...(o.tlsCa === undefined ? {} : { ca: o.tlsCa }) },
          saveAnyway: Boolean(o.saveAnyway),
        },
        CREATE_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const changed = await svc.databases.update(ctx, ref, input);
        if (g().json) return print(g(), changed);
        print(g(), changed, COLUMNS);
        if (changed.test) printReport(g(), changed.test);
      });
    });
  server
    .command("remove")
    .description(
      "forgets a server (nothing on it is touched); refused while Steward manages databases or users on it",
    )
    .argument("<id>")
    .option("--confirm <name>", "the server's name, typed again")
    .option("--yes", "confirm without typing the name")
    .action(async (id, o) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const confirm = await confirmation(o, async () => (await svc.databases.get(ctx, ref)).name);
        await svc.databases.drop(ctx, ref, confirm);
        print(g(), { removed: ref });
      });
    });
  server
    .command("test")
    .description("tests a server's connection now: version, size, or what is wrong")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) =>
        printReport(g(), await svc.databases.test(ctx, ref)),
      );
    });
}
