// Users of Steward's database servers: created with a given or generated password (answered once,
// sealed at rest), grants per database, rotation (the new password proven by logging in, the
// old one refused), the password shown again only to the server's admins (audited), grant,
// revoke and delete. Each change runs through the one executor before its row is written: a
// failed GRANT leaves neither a user on the server nor a row.
import { randomBytes } from "node:crypto";
import {
  type DatabaseUserCreate,
  type databaseUserListQuery,
  hostsOf,
  userCreateProblems,
  type userGrants,
} from "@steward/contracts/databases";
import type { z } from "zod";
import { databaseServers as policy } from "../../access/policies/database-servers.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { conflict, invalid } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { Execute } from "./executor.ts";
import { fieldProblems, itemFor, mustConfirm, serverFor, serverNames } from "./items.ts";
import * as items from "./items-repo.ts";
import type { ServerRow } from "./repo.ts";

type Grants = z.infer<typeof userGrants>["grants"];

/** A new password: 32 characters of base64url (192 bits). */
export const generatePassword = () => randomBytes(24).toString("base64url");

export function createDatabaseUsersService(deps: { db: Db; secrets: Secrets; execute: Execute }) {
  const { db, secrets, execute } = deps;
  const k = db.db;
  const find = async (ctx: Ctx, id: string, manage = false) =>
    itemFor(db, ctx, `database user ${id}`, await items.findUser(k, id), manage);
  const view = async (row: items.UserRow, server: Pick<ServerRow, "id" | "name" | "engine">) =>
    items.toUser(row, server, await items.grantsOf(k, [row.id]));

  /** The grants' databases, by id, all on the user's server (else the field is named). */
  async function grantsOn(server: ServerRow, grants: Grants) {
    const ids = grants.map((g) => g.databaseId);
    const found = new Map((await items.databasesOn(k, server.id, ids)).map((d) => [d.id, d.name]));
    return grants.map((g, i) => {
      const name = found.get(g.databaseId);
      if (!name) throw invalid(`grants.${i}.databaseId`, "must be a database on the user's server");
      return { database: name, database_id: g.databaseId, level: g.level };
    });
  }

  const audit = (
    ctx: Ctx,
    row: { id: string; account_id: string | null },
    verb: string,
    diff: unknown,
  ) => recordAudit(k, ctx, changeOf("database-user", row.id, verb, diff, row.account_id));

  return {
    async list(
      ctx: Ctx,
      f: z.infer<typeof databaseUserListQuery> & { limit: number; cursor?: string },
    ) {
      const walk = items.userOrder(f.sort, f.cursor);
      const rows = await items.listUsers(k, policy.itemScope(ctx, "database_users"), {
        ...f,
        walk,
      });
      const [servers, grants] = await Promise.all([
        serverNames(db, rows),
        items.grantsOf(
          k,
          rows.map((r) => r.id),
        ),
      ]);
      const none = { id: "", name: "", engine: "mariadb" as const };
      return walk.page(rows, f.limit, (row) =>
        items.toUser(row, servers.get(row.server_id) ?? none, grants),
      );
    },

    async get(ctx: Ctx, id: string) {
      const { row, server } = await find(ctx, id);
      return view(row, server);
    },

    async create(ctx: Ctx, input: DatabaseUserCreate) {
      const server = await serverFor(db, ctx, input.serverId, true);
      fieldProblems(userCreateProblems(server.engine, input));
      if ((await items.usersNamed(k, server.id, input.name)).length > 0)
        throw conflict(`a user named ${input.name} is already on this server`, "name");
      const grants = await grantsOn(server, input.grants);
      const hosts = server.engine === "mariadb" ? hostsOf(input) : [];
      const password = input.password ?? generatePassword();
      await execute(server, {
        kind: "createUser",
        name: input.name,
        password,
        hosts,
        connectionLimit: input.connectionLimit,
        grants: grants.map((g) => ({ database: g.database, level: g.level })),
      });
      const now = Date.now();
      const row = {
        id: newId("dbu"),
        server_id: server.id,
        account_id: server.account_id,
        engine: server.engine,
        name: input.name,
        hosts: JSON.stringify(hosts),
        connection_limit: input.connectionLimit,
        password_sealed: secrets.seal(password),
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await items.insertUser(trx, row, grants);
        await recordAudit(
          trx,
          ctx,
          changeOf("database-user", row.id, "create", { after: input }, server.account_id),
        );
      });
      const saved = await items.findUser(k, row.id);
      return {
        ...(await view(saved ?? { ...row, adopted: 0, rotated_at: null }, server)),
        password,
      };
    },

    /** A new password, proven on the server; answered once. */
    async rotate(ctx: Ctx, id: string) {
      const { row, server } = await find(ctx, id, true);
      const old = row.password_sealed === null ? null : secrets.open(row.password_sealed);
      const next = generatePassword();
      const [first] = await items.grantsOf(k, [row.id]);
      await execute(server, {
        kind: "rotate",
        name: row.name,
        hosts: JSON.parse(row.hosts),
        ...(server.engine === "postgres" && first ? { database: first.database } : {}),
        old,
        next,
      });
      const now = Date.now();
      await items.updateUser(k, id, {
        password_sealed: secrets.seal(next),
        rotated_at: now,
        updated_at: now,
      });
      await audit(ctx, row, "rotate", { after: { password: "(rotated)" } });
      const saved = await items.findUser(k, id);
      return { ...(await view(saved ?? row, server)), password: next };
    },

    /** The current password, for the server's admins only; audited. */
    async password(ctx: Ctx, id: string) {
      const { row } = await find(ctx, id, true);
      if (row.password_sealed === null)
        throw conflict("Steward does not know this user's password: rotate it first");
      await audit(ctx, row, "password.read", {});
      return { password: secrets.open(row.password_sealed) };
    },

    async grant(ctx: Ctx, id: string, body: z.infer<typeof userGrants>) {
      const { row, server } = await find(ctx, id, true);
      fieldProblems(
        userCreateProblems(server.engine, {
          serverId: server.id,
          name: row.name,
          connectionLimit: null,
          grants: body.grants,
        }),
      );
      const grants = await grantsOn(server, body.grants);
      await execute(server, {
        kind: "grant",
        name: row.name,
        hosts: JSON.parse(row.hosts),
        grants: grants.map((g) => ({ database: g.database, level: g.level })),
      });
      await items.putGrants(k, id, grants);
      await audit(ctx, row, "grant", { after: body });
      return view(row, server);
    },

    async revoke(ctx: Ctx, id: string, databaseIds: string[]) {
      const { row, server } = await find(ctx, id, true);
      const names = await grantsOn(
        server,
        databaseIds.map((databaseId) => ({ databaseId, level: { kind: "all" as const } })),
      );
      await execute(server, {
        kind: "revoke",
        name: row.name,
        hosts: JSON.parse(row.hosts),
        databases: names.map((n) => n.database),
      });
      await items.dropGrants(k, id, databaseIds);
      await audit(ctx, row, "revoke", { before: { databaseIds } });
      return view(row, server);
    },

    /** Drops the user on its server (confirm: its name), then forgets it. */
    async drop(ctx: Ctx, id: string, confirm: string) {
      const { row, server } = await find(ctx, id, true);
      mustConfirm(row.name, confirm);
      const grants = await items.grantsOf(k, [row.id]);
      await execute(server, {
        kind: "dropUser",
        name: row.name,
        hosts: JSON.parse(row.hosts),
        databases: grants.map((g) => g.database),
      });
      await k.transaction().execute(async (trx) => {
        await items.deleteUser(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf("database-user", id, "delete", { before: { name: row.name } }, row.account_id),
        );
      });
    },
  };
}
