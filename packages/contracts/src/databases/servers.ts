// Database servers (issue 14), the one notion the databases and the backups build on: either
// on a node (the node's own MariaDB or PostgreSQL, reached by its agent through the local
// admin socket, no admin password in the panel) or external (host, port, an admin user whose
// password is sealed at rest, a TLS mode), reached from the panel or from a chosen node.
import { z } from "zod";
import { host as targetHost } from "../monitors/settings.ts";
import { sortQuery } from "../pagination.ts";
import { id, label, noControl, port, text } from "../validators.ts";
import { databaseEngine } from "./names.ts";
import { caPem, databaseTls, tlsMode } from "./settings.ts";

export const databasePlacements = ["on-node", "external"] as const;
export type DatabasePlacement = (typeof databasePlacements)[number];

export const adminUser = z
  .string()
  .min(1, "must not be empty")
  .max(80, "must be at most 80 characters")
  .refine(noControl, "must not contain control characters");
export const adminPassword = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes");

const common = {
  name: label(100),
  engine: databaseEngine,
  /** the account whose databases live there; none: a shared server only super admins manage */
  accountId: id.nullable().default(null),
  /** keep the server even when the connection test fails */
  saveAnyway: z.boolean().default(false),
};

export const databaseServerCreate = z.discriminatedUnion(
  "placement",
  [
    z.strictObject({ ...common, placement: z.literal("on-node"), nodeId: id }),
    z.strictObject({
      ...common,
      placement: z.literal("external"),
      host: targetHost,
      port,
      adminUser,
      adminPassword,
      tls: databaseTls,
      /** the node that connects (its outbound policy applies); null: the panel connects */
      viaNodeId: id.nullable().default(null),
    }),
  ],
  { error: "must be on-node or external" },
);
export type DatabaseServerCreate = z.output<typeof databaseServerCreate>;

/**
 * A change of a server (`PATCH`): its name, and an external server's connection (tested again
 * before it is kept, as a create; `saveAnyway` keeps a change whose test fails). The engine,
 * placement and account never change. `tls.ca` absent keeps the CA, null removes it.
 */
export const databaseServerUpdate = z.strictObject({
  name: label(100).optional(),
  host: targetHost.optional(),
  port: port.optional(),
  adminUser: adminUser.optional(),
  adminPassword: adminPassword.optional(),
  tls: z.strictObject({ mode: tlsMode, ca: caPem.nullable().optional() }).optional(),
  saveAnyway: z.boolean().default(false),
});
export type DatabaseServerUpdate = z.output<typeof databaseServerUpdate>;
/** The fields of an update that change the connection (external servers only). */
export const connectionFields = ["host", "port", "adminUser", "adminPassword", "tls"] as const;

/** Connection settings of an external server, as the engines' adapters take them. */
export interface ExternalConnection {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  tls: z.output<typeof databaseTls>;
}

/** Why a connection test failed, in words and as a kind a program can tell apart. */
export const connectionProblemKinds = [
  "refused",
  "unreachable",
  "timeout",
  "tls",
  "authentication",
  "privilege",
  "policy",
  "other",
] as const;
export const connectionProblem = z.object({
  kind: z.enum(connectionProblemKinds),
  message: text(500),
  /** the missing privilege, when kind is privilege (CREATE USER, CREATEROLE…) */
  privilege: z.string().max(60).nullable(),
});
export type ConnectionProblem = z.infer<typeof connectionProblem>;

/** What a connection test learned: the server's version and size, or what is wrong. */
export const connectionReport = z.object({
  ok: z.boolean(),
  version: z.string().max(200).nullable(),
  /** bytes of all databases together */
  sizeBytes: z.number().nullable(),
  databases: z.number().int().nullable(),
  problems: z.array(connectionProblem),
});
export type ConnectionReport = z.infer<typeof connectionReport>;

/** A database server as the API shows it (never its admin password). */
export const databaseServer = z.object({
  id: z.string(),
  accountId: z.string().nullable(),
  name: z.string(),
  engine: databaseEngine,
  placement: z.enum(databasePlacements),
  nodeId: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  adminUser: z.string().nullable(),
  tls: z.object({ mode: z.enum(["disable", "require", "verify-full"]), ca: z.boolean() }),
  viaNodeId: z.string().nullable(),
  version: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  lastTest: connectionReport.nullable(),
  testedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DatabaseServer = z.infer<typeof databaseServer>;

/** The create answer: the server and its connection test. */
export const databaseServerCreated = databaseServer.extend({ test: connectionReport });
/** The update answer: the server and its new connection test (null: the connection is as it was). */
export const databaseServerUpdated = databaseServer.extend({ test: connectionReport.nullable() });

export const databaseServerListQuery = z.strictObject({
  sort: sortQuery(["name", "createdAt"]),
  account: id.optional(),
  /** the node whose own server it is */
  node: id.optional(),
});
