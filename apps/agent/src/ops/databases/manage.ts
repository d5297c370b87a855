// The adapters put together: a server's admin connection, the connection test, and the
// operations that change a server, each step with its undo (a failed GRANT leaves no user).
// The agent runs these inside its operation framework (ctx.step / ctx.onRollback); the panel
// runs the same for external servers.
import type { ConnectionReport, DatabaseEngine, GrantLevel } from "@steward/contracts/databases";
import type { Admin, DatabaseSpec, EngineAdapter, UserRef, UserSpec } from "./adapter.ts";
import { diagnose, missingPrivilege } from "./diagnose.ts";
import { mariadbAdapter } from "./mariadb.ts";
import { postgresAdapter } from "./postgres.ts";
import { type Credentials, openSession, type Place, withSession } from "./session.ts";

export const adapterFor = (engine: DatabaseEngine): EngineAdapter =>
  engine === "mariadb" ? mariadbAdapter : postgresAdapter;

/** How a server is reached: as its admin, and where its users log in (to verify passwords). */
export interface ServerAccess {
  engine: DatabaseEngine;
  admin: Place;
  credentials: Credentials;
  login: Place;
}

/** What the operations record: a named step, and how to undo it. */
export interface Steps {
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  onRollback(name: string, fn: () => Promise<void>): void;
}

/** Runs `fn` as the server's admin, closing every session it opened. */
export async function asAdmin<T>(access: ServerAccess, fn: (admin: Admin) => Promise<T>) {
  return withSession(access.engine, access.admin, access.credentials, (session) =>
    fn({
      session,
      inDatabase: (database, inner) =>
        withSession(access.engine, access.admin, { ...access.credentials, database }, inner),
    }),
  );
}

/** Connects, and says what works and what is wrong: version, size, missing privileges. */
export async function testConnection(access: ServerAccess): Promise<ConnectionReport> {
  const adapter = adapterFor(access.engine);
  const user = access.credentials.user;
  try {
    return await asAdmin(access, async (admin) => {
      const version = await adapter.version(admin);
      const databases = await adapter.listDatabases(admin);
      const missing = await adapter.missingPrivileges(admin);
      return {
        ok: missing.length === 0,
        version,
        sizeBytes: databases.reduce((sum, d) => sum + d.sizeBytes, 0),
        databases: databases.length,
        problems: missing.map((p) => missingPrivilege(user, p)),
      };
    });
  } catch (error) {
    return {
      ok: false,
      version: null,
      sizeBytes: null,
      databases: null,
      problems: [diagnose(error, access.admin, user)],
    };
  }
}

/** true when `user` logs in with `password`; false when the server refuses the password. */
export async function canLogin(
  access: ServerAccess,
  user: string,
  password: string,
  database?: string,
) {
  try {
    const session = await openSession(access.engine, access.login, {
      user,
      password,
      ...(database ? { database } : {}),
    });
    await session.close();
    return true;
  } catch (error) {
    if (diagnose(error, access.login, user).kind === "authentication") return false;
    throw error;
  }
}

/** Creates a database; the undo drops it (each step its own admin session, the undo too). */
export async function createDatabase(steps: Steps, access: ServerAccess, spec: DatabaseSpec) {
  const adapter = adapterFor(access.engine);
  await asAdmin(access, async (admin) => {
    if (await adapter.databaseExists(admin, spec.name))
      throw new Error(`a database named ${spec.name} already exists on this server`);
    await steps.step(`create database ${spec.name}`, () => adapter.createDatabase(admin, spec));
  });
  steps.onRollback(`drop database ${spec.name}`, () =>
    asAdmin(access, (admin) => adapter.dropDatabase(admin, spec.name)),
  );
}

export interface GrantSpec {
  database: string;
  level: GrantLevel;
}

/** Creates a user and its grants; a failed grant drops the user again (through the undo). */
export async function createUser(
  steps: Steps,
  access: ServerAccess,
  spec: UserSpec,
  grants: GrantSpec[],
) {
  const adapter = adapterFor(access.engine);
  const ref: UserRef = { name: spec.name, hosts: spec.hosts };
  const databases = grants.map((g) => g.database);
  await asAdmin(access, async (admin) => {
    if (await adapter.userExists(admin, ref))
      throw new Error(`a user named ${spec.name} already exists on this server`);
    await steps.step(`create user ${spec.name}`, () => adapter.createUser(admin, spec));
    steps.onRollback(`drop user ${spec.name}`, () =>
      asAdmin(access, (again) => adapter.dropUser(again, ref, databases)),
    );
    for (const g of grants)
      await steps.step(`grant ${g.level.kind} on ${g.database} to ${spec.name}`, () =>
        adapter.grant(admin, ref, g.database, g.level),
      );
  });
}

/**
 * Sets a new password and proves it: the new one logs in, the old one no longer does. On a
 * failed proof the old password is set back (the undo).
 */
export async function rotatePassword(
  steps: Steps,
  access: ServerAccess,
  user: UserRef & { database?: string },
  passwords: { old: string | null; next: string },
) {
  const adapter = adapterFor(access.engine);
  await steps.step(`set the new password of ${user.name}`, () =>
    asAdmin(access, (admin) => adapter.setPassword(admin, user, passwords.next)),
  );
  const old = passwords.old;
  if (old !== null)
    steps.onRollback(`set the old password of ${user.name} back`, () =>
      asAdmin(access, (admin) => adapter.setPassword(admin, user, old)),
    );
  await steps.step(`log in as ${user.name} with the new password`, async () => {
    if (!(await canLogin(access, user.name, passwords.next, user.database)))
      throw new Error(`${user.name} cannot log in with the new password`);
  });
  if (old !== null && old !== passwords.next)
    await steps.step(`the old password of ${user.name} is refused`, async () => {
      if (await canLogin(access, user.name, old, user.database))
        throw new Error(`${user.name} still logs in with the old password`);
    });
}

/** Drops a database (no undo: what is dropped is gone; the panel asks for confirmation). */
export async function dropDatabase(steps: Steps, access: ServerAccess, name: string) {
  const adapter = adapterFor(access.engine);
  await steps.step(`drop database ${name}`, () =>
    asAdmin(access, (admin) => adapter.dropDatabase(admin, name)),
  );
}

/** Drops a user and (PostgreSQL) what it owns and was granted in `databases`. */
export async function dropUser(
  steps: Steps,
  access: ServerAccess,
  user: UserRef,
  databases: string[],
) {
  const adapter = adapterFor(access.engine);
  await steps.step(`drop user ${user.name}`, () =>
    asAdmin(access, (admin) => adapter.dropUser(admin, user, databases)),
  );
}

/** Grants more databases to a user; a failed grant takes back the ones made before it. */
export async function grantMore(
  steps: Steps,
  access: ServerAccess,
  user: UserRef,
  grants: GrantSpec[],
) {
  const adapter = adapterFor(access.engine);
  await asAdmin(access, async (admin) => {
    for (const g of grants) {
      await steps.step(`grant ${g.level.kind} on ${g.database} to ${user.name}`, () =>
        adapter.grant(admin, user, g.database, g.level),
      );
      steps.onRollback(`revoke ${g.database} from ${user.name}`, () =>
        asAdmin(access, (again) => adapter.revoke(again, user, g.database)),
      );
    }
  });
}

/** Takes every privilege of a user on these databases. */
export async function revokeFrom(
  steps: Steps,
  access: ServerAccess,
  user: UserRef,
  databases: string[],
) {
  const adapter = adapterFor(access.engine);
  await asAdmin(access, async (admin) => {
    for (const database of databases)
      await steps.step(`revoke ${database} from ${user.name}`, () =>
        adapter.revoke(admin, user, database),
      );
  });
}

/** The databases (with their sizes) and the users that exist on the server. */
export async function inventory(access: ServerAccess) {
  const adapter = adapterFor(access.engine);
  return asAdmin(access, async (admin) => ({
    databases: await adapter.listDatabases(admin),
    users: await adapter.listUsers(admin),
  }));
}
