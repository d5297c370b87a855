// The single identifier- and literal-quoting functions, per engine: the drivers' own
// (mysql2's escapeId/escape, pg's escapeIdentifier/escapeLiteral). Names were validated by
// contracts' databaseNameProblem before; they are quoted here anyway, never concatenated raw.
import type { DatabaseEngine } from "@steward/contracts/databases";
import mysql from "mysql2";
import pg from "pg";

/** A quoted identifier: `name` (MariaDB), "name" (PostgreSQL). */
export const ident = (engine: DatabaseEngine, name: string) =>
  engine === "mariadb" ? mysql.escapeId(name, true) : pg.escapeIdentifier(name);

/** A quoted string literal (passwords, locales). */
export const literal = (engine: DatabaseEngine, value: string) =>
  engine === "mariadb" ? mysql.escape(value) : pg.escapeLiteral(value);

/** A MariaDB account: 'user'@'host'. */
export const account = (user: string, host: string) =>
  `${literal("mariadb", user)}@${literal("mariadb", host)}`;
