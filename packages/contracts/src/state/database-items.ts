// Databases and database users as files, with the database API's own validators and the
// engine's name rules (a file says its server's engine, so a name a server would take as
// syntax is refused before any panel is asked). Both are named within their server:
// `database/<server file name>--<name>.yaml`, `database-user/<server file name>--<name>.yaml`
// (a name never holds `--`). A user's grants name databases of its server; its password is
// never exported (the panel never answers it): the file names the secret apply takes it from,
// `database-user/<server file name>--<name>`.
import { z } from "zod";
import { databaseCreateProblems } from "../databases/api.ts";
import { nameShape } from "../databases/names.ts";
import {
  mariadbCharset,
  mariadbCollation,
  postgresEncoding,
  postgresLocale,
} from "../databases/settings.ts";

/** A database server named by its file's name (`main-mariadb`). */
export const serverFileName = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a database server's file name (a-z, 0-9 and -)");

/** `main-mariadb--shop_app`: a database or user by its server's file name and its own name. */
export const onServer = (f: { server: string; name: string }) => `${f.server}--${f.name}`;

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
