// Databases and their users through the API (/api/v1/databases, /api/v1/database-users).
// The engine is the server's, known to the panel only after it loads the server, so these
// shapes check what holds on both engines; `engineProblems` then checks the rest per engine
// (the panel and the console call it the same way).
import { z } from "zod";
import { id, noControl } from "../validators.ts";
import { type DatabaseEngine, databaseNameProblem, nameShape } from "./names.ts";
import {
  connectionLimit,
  DEFAULT_HOSTS,
  type GrantLevel,
  grantLevel,
  hostPattern,
  mariadbCharset,
  mariadbCollation,
  PRIVILEGES,
  postgresEncoding,
  postgresLocale,
} from "./settings.ts";

export const databaseCreate = z.strictObject({
  serverId: id,
  name: nameShape,
  /** MariaDB */
  charset: mariadbCharset.optional(),
  collation: mariadbCollation.optional(),
  /** PostgreSQL */
  encoding: postgresEncoding.optional(),
  locale: postgresLocale.optional(),
  /** PostgreSQL: an existing user of the server, by name, that owns the database */
  owner: nameShape.optional(),
});
export type DatabaseCreate = z.infer<typeof databaseCreate>;

export const databaseGrant = z.strictObject({ databaseId: id, level: grantLevel });
export type DatabaseGrant = z.infer<typeof databaseGrant>;

/** A password given for a new user (`steward state apply` from its secrets file). */
export const givenUserPassword = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(1024, "must be at most 1024 characters")
  .refine(noControl, "must not contain control characters or newlines");

export const databaseUserCreate = z.strictObject({
  serverId: id,
  name: nameShape,
  /** absent: the panel generates one (answered once) */
  password: givenUserPassword.optional(),
  /** MariaDB only */
  hosts: z.array(hostPattern).min(1).max(20, "must list at most 20 hosts").optional(),
  connectionLimit: connectionLimit.default(null),
  grants: z.array(databaseGrant).max(50, "must list at most 50 grants").default([]),
});
export type DatabaseUserCreate = z.infer<typeof databaseUserCreate>;

/** Deleting asks for the name again. */
export const confirmDelete = z.strictObject({
  confirm: z.string().max(200, "must be at most 200 characters"),
});

export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

const onlyFor = (engine: DatabaseEngine) =>
  `only applies to ${engine === "mariadb" ? "MariaDB" : "PostgreSQL"} servers`;

function grantProblems(engine: DatabaseEngine, grants: { level: GrantLevel }[]): FieldProblem[] {
  return grants.flatMap((g, i) =>
    g.level.kind !== "custom"
      ? []
      : g.level.privileges.flatMap((p, j) =>
          PRIVILEGES[engine].includes(p)
            ? []
            : [
                {
                  path: ["grants", i, "level", "privileges", j],
                  message: `must be one of ${PRIVILEGES[engine].join(", ")}`,
                },
              ],
        ),
  );
}

/** What a database create asks that `engine` cannot do, each naming its field. */
export function databaseCreateProblems(engine: DatabaseEngine, d: DatabaseCreate): FieldProblem[] {
  const out: FieldProblem[] = [];
  const name = databaseNameProblem(engine, "database", d.name);
  if (name) out.push({ path: ["name"], message: name });
  const foreign =
    engine === "mariadb"
      ? (["encoding", "locale", "owner"] as const)
      : (["charset", "collation"] as const);
  for (const key of foreign)
    if (d[key] !== undefined)
      out.push({ path: [key], message: onlyFor(engine === "mariadb" ? "postgres" : "mariadb") });
  if (engine === "postgres" && d.owner !== undefined) {
    const owner = databaseNameProblem(engine, "user", d.owner);
    if (owner) out.push({ path: ["owner"], message: owner });
  }
  if (
    d.charset &&
    d.collation &&
    !(d.collation === "binary" || d.collation.startsWith(`${d.charset}_`))
  )
    out.push({ path: ["collation"], message: `must be a collation of ${d.charset}` });
  return out;
}

/** What a user create asks that `engine` cannot do, each naming its field. */
export function userCreateProblems(engine: DatabaseEngine, u: DatabaseUserCreate): FieldProblem[] {
  const out: FieldProblem[] = [];
  const name = databaseNameProblem(engine, "user", u.name);
  if (name) out.push({ path: ["name"], message: name });
  if (engine === "postgres" && u.hosts !== undefined)
    out.push({ path: ["hosts"], message: `${onlyFor("mariadb")} (PostgreSQL uses pg_hba.conf)` });
  return [...out, ...grantProblems(engine, u.grants)];
}

/** The hosts a MariaDB user gets when none are given. */
export const hostsOf = (u: { hosts?: string[] }) => u.hosts ?? DEFAULT_HOSTS;
