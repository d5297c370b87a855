// Database servers as files (`database-server/<name>.yaml`), with the database API's own
// validators: on a node (its own MariaDB or PostgreSQL) or external. An external server's
// admin password and CA are never exported (the panel never answers them): the file names
// the secrets apply takes them from (`--secrets FILE`).
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import { databaseEngine } from "../databases/names.ts";
import { adminUser } from "../databases/servers.ts";
import { tlsMode } from "../databases/settings.ts";
import { host } from "../monitors/settings.ts";
import { label, port, slug } from "../validators.ts";
import { labelFileName, secretRef } from "./names.ts";

/** The name of one of a database server's secrets (`database-server/main-mariadb/admin-password`). */
export const databaseServerSecret = (name: string, what: "admin-password" | "ca") =>
  `database-server/${labelFileName(name)}/${what}`;

const common = {
  name: label(100),
  engine: databaseEngine,
  /** the account whose databases live there; null: a shared server */
  account: slug.nullable().default(null),
};

export const databaseServerFile = z
  .discriminatedUnion(
    "placement",
    [
      z.strictObject({ ...common, placement: z.literal("on-node"), node: nodeName }),
      z.strictObject({
        ...common,
        placement: z.literal("external"),
        host,
        port,
        adminUser,
        adminPassword: secretRef,
        tls: tlsMode,
        /** a PEM CA bundle for verify-full, as a secret; null: the system's roots */
        ca: secretRef.nullable().default(null),
        /** the node that connects; null: the panel */
        via: nodeName.nullable().default(null),
      }),
    ],
    { error: "must be on-node or external" },
  )
  .superRefine((s, ctx) => {
    if (s.placement !== "external") return;
    if (s.adminPassword.secret !== databaseServerSecret(s.name, "admin-password"))
      ctx.addIssue({
        code: "custom",
        path: ["adminPassword", "secret"],
        message: "must be { secret: database-server/<file name>/admin-password }",
      });
    if (s.ca && s.ca.secret !== databaseServerSecret(s.name, "ca"))
      ctx.addIssue({
        code: "custom",
        path: ["ca", "secret"],
        message: "must be { secret: database-server/<file name>/ca }",
      });
    if (s.ca && s.tls === "disable")
      ctx.addIssue({ code: "custom", path: ["ca"], message: "a CA needs require or verify-full" });
  });
export type DatabaseServerFile = z.infer<typeof databaseServerFile>;
