// What a database, a user and a connection are made of (issue 14): MariaDB host patterns,
// grants from an allow-list, charset/collation (MariaDB), encoding/locale (PostgreSQL),
// connection limits and an external server's TLS mode.
import { z } from "zod";
import type { DatabaseEngine } from "./names.ts";

/**
 * Where a MariaDB user may connect from: `localhost` (the default), an address, a host name,
 * a pattern with the `%` and `_` wildcards (`10.0.0.%`, `%` for anywhere) or an address and
 * netmask (`10.0.0.0/255.255.255.0`). PostgreSQL has no per-user hosts (pg_hba.conf does).
 */
export const hostPattern = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(
    /^[a-z0-9.:%_-]+(\/[0-9.]{7,15})?$/,
    "must be localhost, an address, a host name, a pattern with % or an address/netmask",
  )
  .refine((s) => !s.includes("--"), 'must not contain "--"');

export const DEFAULT_HOSTS = ["localhost"];

/** Privileges a custom grant may list, per engine (database-level ones only). */
export const PRIVILEGES: Record<DatabaseEngine, readonly string[]> = {
  mariadb: [
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "DROP",
    "INDEX",
    "ALTER",
    "REFERENCES",
    "CREATE TEMPORARY TABLES",
    "LOCK TABLES",
    "CREATE VIEW",
    "SHOW VIEW",
    "CREATE ROUTINE",
    "ALTER ROUTINE",
    "EXECUTE",
    "EVENT",
    "TRIGGER",
  ],
  postgres: [
    "CONNECT",
    "TEMPORARY",
    "CREATE",
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
  ],
};
const anyPrivilege = [...new Set([...PRIVILEGES.mariadb, ...PRIVILEGES.postgres])] as [
  string,
  ...string[],
];

/** all: everything on the database; read-only: connect and read; custom: the listed ones. */
export const grantLevel = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("all") }),
    z.strictObject({ kind: z.literal("read-only") }),
    z.strictObject({
      kind: z.literal("custom"),
      privileges: z
        .array(z.enum(anyPrivilege, { error: `must be one of ${anyPrivilege.join(", ")}` }))
        .min(1, "must list at least one privilege")
        .max(anyPrivilege.length)
        .refine((p) => new Set(p).size === p.length, "must not repeat a privilege"),
    }),
  ],
  { error: "must be all, read-only or custom" },
);
export type GrantLevel = z.infer<typeof grantLevel>;

export const MARIADB_CHARSETS = ["utf8mb4", "utf8mb3", "latin1", "ascii", "binary"] as const;
export const mariadbCharset = z.enum(MARIADB_CHARSETS, {
  error: `must be one of ${MARIADB_CHARSETS.join(", ")}`,
});
export const mariadbCollation = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9]+(_[a-z0-9]+)*$/, "must be a collation name like utf8mb4_unicode_ci");
export const DEFAULT_CHARSET = "utf8mb4";
export const DEFAULT_COLLATION = "utf8mb4_unicode_ci";

export const POSTGRES_ENCODINGS = ["UTF8", "LATIN1", "LATIN9", "WIN1252", "SQL_ASCII"] as const;
export const postgresEncoding = z.enum(POSTGRES_ENCODINGS, {
  error: `must be one of ${POSTGRES_ENCODINGS.join(", ")}`,
});
/** An operating-system locale: C, POSIX, C.UTF-8, en_US.UTF-8, de_DE@euro. */
export const postgresLocale = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9-]+)?(@[a-z]+)?$/, "must be a locale like C.UTF-8");

/** Simultaneous connections of a user; null: the server's own limit. */
export const connectionLimit = z
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1, "must be between 1 and 10000")
  .max(10_000, "must be between 1 and 10000")
  .nullable();

export const tlsModes = ["disable", "require", "verify-full"] as const;
/** disable: plain TCP; require: TLS, any certificate; verify-full: TLS, CA and host checked. */
export const tlsMode = z.enum(tlsModes, { error: "must be disable, require or verify-full" });
export type TlsMode = z.infer<typeof tlsMode>;

/** A PEM CA bundle for verify-full (the system's roots when absent). */
export const caPem = z
  .string()
  .max(65_536, "must be at most 64 KiB")
  .regex(
    /^\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$/,
    "must be PEM certificates",
  );

export const databaseTls = z
  .strictObject({ mode: tlsMode, ca: caPem.nullable().default(null) })
  .refine((t) => t.ca === null || t.mode !== "disable", {
    message: "a CA needs require or verify-full",
    path: ["ca"],
  });
export type DatabaseTls = z.output<typeof databaseTls>;
