// Databases and database users as files, with the database API's own validators and the
// engine's name rules (a file says its server's engine, so a name a server would take as
// syntax is refused before any panel is asked). Both are named within their server:
// `database/<server file name>--<name>.yaml`, `database-user/<server file name>--<name>.yaml`
// (a name never holds `--`). A user's grants name databases of its server; its password is
// never exported (the panel never answers it): the file names the secret apply takes it from,
// `database-user/<server file name>--<name>`.
import { z } from "zod";
import { databaseCreateProblems, userCreateProblems } from "../databases/api.ts";
import { databaseEngine, databaseNameProblem, nameShape } from "../databases/names.ts";
import {
  connectionLimit,
  DEFAULT_HOSTS,
  grantLevel,
  hostPattern,
  mariadbCharset,
  mariadbCollation,
  postgresEncoding,
  postgresLocale,
} from "../databases/settings.ts";
import { secretRef } from "./names.ts";

/** A database server named by its file's name (`main-mariadb`). */
export const serverFileName = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a database server's file name (a-z, 0-9 and -)");

/** `main-mariadb--shop_app`: a database or user by its server's file name and its own name. */
export const onServer = (f: { server: string; name: string }) => `${f.server}--${f.name}`;

/** The name of the secret holding a database user's password. */
export const databaseUserSecret = (f: { server: string; name: string }) =>
  `database-user/${onServer(f)}`;

const issue = (ctx: z.core.$RefinementCtx, path: PropertyKey[], message: string) =>
  ctx.addIssue({ code: "custom", path, message });

export const databaseFile = z
  .discriminatedUnion(
    "engine",
    [
      z.strictObject({
        server: serverFileName,
        engine: z.literal("mariadb"),
        name: nameShape,
        options: z
          .strictObject({
            charset: mariadbCharset.optional(),
            collation: mariadbCollation.optional(),
          })
          .default({}),
      }),
      z.strictObject({
        server: serverFileName,
        engine: z.literal("postgres"),
        name: nameShape,
        /** owner: a user that already is on the server */
        options: z
          .strictObject({
            encoding: postgresEncoding.optional(),
            locale: postgresLocale.optional(),
            owner: nameShape.optional(),
          })
          .default({}),
      }),
    ],
    { error: "must be mariadb or postgres" },
  )
  .superRefine((d, ctx) => {
    const input = { serverId: d.server, name: d.name, ...d.options };
    for (const p of databaseCreateProblems(d.engine, input))
      issue(ctx, p.path[0] === "name" ? ["name"] : ["options", ...p.path], p.message);
  });
export type DatabaseFile = z.infer<typeof databaseFile>;

/** A user's grants as its file holds them: by database name. */
export const sortedGrants = <G extends { database: string }>(grants: readonly G[]) =>
  [...grants].sort((a, b) => (a.database < b.database ? -1 : a.database > b.database ? 1 : 0));

const userGrant = z.strictObject({ database: nameShape, level: grantLevel });

export const databaseUserFile = z
  .strictObject({
    server: serverFileName,
    engine: databaseEngine,
    name: nameShape,
    /** MariaDB only: where the user may connect from (default localhost) */
    hosts: z.array(hostPattern).min(1, "must list a host").max(20).optional(),
    connectionLimit: connectionLimit.default(null),
    /** the databases of its server it may use, sorted by database */
    grants: z.array(userGrant).max(50, "must list at most 50 grants").default([]),
    password: secretRef,
  })
  .superRefine((u, ctx) => {
    const grants = u.grants.map((g) => ({ databaseId: g.database, level: g.level }));
    const { name, hosts, connectionLimit } = u;
    const input = {
      serverId: u.server,
      name,
      ...(hosts ? { hosts } : {}),
      connectionLimit,
      grants,
    };
    for (const p of userCreateProblems(u.engine, input)) issue(ctx, p.path, p.message);
    const seen = new Set<string>();
    u.grants.forEach((g, i) => {
      const problem = databaseNameProblem(u.engine, "database", g.database);
      if (problem) issue(ctx, ["grants", i, "database"], problem);
      else if (seen.has(g.database)) issue(ctx, ["grants", i, "database"], "is granted twice");
      seen.add(g.database);
    });
    const secret = databaseUserSecret(u);
    if (u.password.secret !== secret)
      issue(ctx, ["password", "secret"], `must be { secret: ${secret} }`);
  })
  .transform((u) => ({
    ...u,
    ...(u.engine === "mariadb" ? { hosts: u.hosts ?? DEFAULT_HOSTS } : {}),
    grants: sortedGrants(u.grants),
  }));
export type DatabaseUserFile = z.infer<typeof databaseUserFile>;
