// Databases and their users as the API answers them (issue 14), their list filters, and the
// bodies of grant, revoke and delete. A password appears in one answer only: the create (or
// the rotation) that generated it, and the admins' explicit `/password`.
import { z } from "zod";
import { sortQuery } from "../pagination.ts";
import { id } from "../validators.ts";
import { databaseGrant } from "./api.ts";
import { databaseEngine, nameShape } from "./names.ts";
import { grantLevel } from "./settings.ts";

const common = {
  id: z.string(),
  serverId: z.string(),
  /** the server's name (lists show names, not ids) */
  server: z.string(),
  engine: databaseEngine,
  accountId: z.string().nullable(),
  name: z.string(),
  /** it existed before and was adopted (Steward did not make it) */
  adopted: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const databaseView = z.object({
  ...common,
  /** charset/collation (MariaDB) or encoding/locale/owner (PostgreSQL) as asked */
  options: z.record(z.string(), z.string()),
  sizeBytes: z.number().nullable(),
  sizedAt: z.string().nullable(),
});
export type DatabaseView = z.infer<typeof databaseView>;

export const userGrantView = z.object({
  databaseId: z.string(),
  database: z.string(),
  level: grantLevel,
});

export const databaseUserView = z.object({
  ...common,
  hosts: z.array(z.string()),
  connectionLimit: z.number().int().nullable(),
  /** Steward knows its password (false for an adopted user until it is rotated) */
  hasPassword: z.boolean(),
  rotatedAt: z.string().nullable(),
  grants: z.array(userGrantView),
});
export type DatabaseUserView = z.infer<typeof databaseUserView>;

/** A create or a rotation: the user and its new password, shown this once. */
export const databaseUserWithPassword = databaseUserView.extend({ password: z.string() });

export const databaseUserPassword = z.object({ password: z.string() });

const listFilters = {
  sort: sortQuery(["name", "createdAt"]),
  account: id.optional(),
  server: id.optional(),
  /** the server's engine */
  engine: databaseEngine.optional(),
};
export const databaseListQuery = z.strictObject(listFilters);
export const databaseUserListQuery = z.strictObject(listFilters);

/** Deleting asks for the name again, in the query (`?confirm=<name>`). */
export const confirmQuery = z.strictObject({
  confirm: z.string().max(200, "must be at most 200 characters"),
});

export const userGrants = z.strictObject({
  grants: z.array(databaseGrant).min(1, "must list a grant").max(50, "must list at most 50"),
});
export const userRevoke = z.strictObject({
  databaseIds: z.array(id).min(1, "must list a database").max(50, "must list at most 50"),
});

/** What exists on a server, and which of it Steward knows (its id) or not (null). */
export const databaseInventory = z.object({
  databases: z.array(
    z.object({ name: z.string(), sizeBytes: z.number(), known: z.string().nullable() }),
  ),
  users: z.array(
    z.object({ name: z.string(), hosts: z.array(z.string()), known: z.string().nullable() }),
  ),
});
export type DatabaseInventory = z.infer<typeof databaseInventory>;

/** Adopts existing databases and users by name, without touching them. */
export const databaseAdopt = z
  .strictObject({
    databases: z.array(nameShape).max(500, "must list at most 500").default([]),
    users: z.array(nameShape).max(500, "must list at most 500").default([]),
  })
  .refine((a) => a.databases.length + a.users.length > 0, {
    message: "must name a database or a user",
    path: ["databases"],
  });

export const databaseAdopted = z.object({
  databases: z.array(databaseView),
  users: z.array(databaseUserView),
});

/** One point of a database's size history. */
export const databaseSize = z.object({ at: z.string(), sizeBytes: z.number() });

/** An account's databases together (issue 14): their sizes' sum now and per UTC day. */
export const accountDatabaseSizes = z.object({
  accountId: z.string(),
  databases: z.number(),
  sizeBytes: z.number(),
  sizedAt: z.string().nullable(),
  days: z.array(z.object({ day: z.string(), sizeBytes: z.number() })),
});
