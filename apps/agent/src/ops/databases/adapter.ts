// The one contract both engines' adapters keep (mariadb.ts, postgres.ts): what a database
// server can be asked, in Steward's terms. The agent runs them for a node's own server, the
// panel for an external one; manage.ts puts them together with undo steps.
import type { DatabaseEngine, GrantLevel } from "@steward/contracts/databases";
import type { Session } from "./session.ts";

/** The admin's connection: its session, and (PostgreSQL) a session inside one database. */
export interface Admin {
  session: Session;
  inDatabase<T>(database: string, fn: (session: Session) => Promise<T>): Promise<T>;
}

export interface DatabaseSpec {
  name: string;
  charset?: string | undefined;
  collation?: string | undefined;
  encoding?: string | undefined;
  locale?: string | undefined;
  owner?: string | undefined;
}

export interface UserSpec {
  name: string;
  password: string;
  /** MariaDB host patterns (ignored by PostgreSQL) */
  hosts: string[];
  connectionLimit: number | null;
}

export interface UserRef {
  name: string;
  hosts: string[];
}

export interface ServerFacts {
  version: string;
  sizeBytes: number;
  databases: number;
}

export interface ExistingDatabase {
  name: string;
  sizeBytes: number;
}

export interface ExistingUser {
  name: string;
  hosts: string[];
}

export interface EngineAdapter {
  engine: DatabaseEngine;
  version(admin: Admin): Promise<string>;
  /** the privileges the admin lacks to manage databases and users, named as the engine does */
  missingPrivileges(admin: Admin): Promise<string[]>;
  listDatabases(admin: Admin): Promise<ExistingDatabase[]>;
  listUsers(admin: Admin): Promise<ExistingUser[]>;
  databaseExists(admin: Admin, name: string): Promise<boolean>;
  userExists(admin: Admin, user: UserRef): Promise<boolean>;
  createDatabase(admin: Admin, spec: DatabaseSpec): Promise<void>;
  dropDatabase(admin: Admin, name: string): Promise<void>;
  createUser(admin: Admin, spec: UserSpec): Promise<void>;
  /** `databases`: where it has grants (PostgreSQL drops its privileges there first) */
  dropUser(admin: Admin, user: UserRef, databases: string[]): Promise<void>;
  setPassword(admin: Admin, user: UserRef, password: string): Promise<void>;
  grant(admin: Admin, user: UserRef, database: string, level: GrantLevel): Promise<void>;
  /** takes every privilege of the user on the database (and, PostgreSQL, its public schema) */
  revoke(admin: Admin, user: UserRef, database: string): Promise<void>;
}

/** Bytes as a number from a driver's bigint-as-string. */
export const bytes = (value: unknown) => Number(value ?? 0);
