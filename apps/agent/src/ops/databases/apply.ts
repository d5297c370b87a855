// The one executor of a database action (contracts' databaseAction): the agent runs it as the
// operation `database.apply` for its node's own server (or an external one it reaches), the
// panel runs the same for an external server it reaches itself (run.ts). Each change is a
// step with its undo (manage.ts); the framework records them and undoes on failure.
import type {
  DatabaseAction,
  DatabaseApplyInput,
  DatabaseApplyOutput,
  DatabaseTarget,
} from "@steward/contracts/databases";
import type { AgentConfig } from "../../config.ts";
import { OpFailure } from "../types.ts";
import { diagnose } from "./diagnose.ts";
import {
  createDatabase,
  createUser,
  dropDatabase,
  dropUser,
  grantMore,
  inventory,
  revokeFrom,
  rotatePassword,
  type ServerAccess,
  type Steps,
  testConnection,
} from "./manage.ts";

export type LocalDatabases = AgentConfig["databases"];

/** How the server is reached: the node's own through its admin socket, or over TCP. */
export function accessOf(
  input: Pick<DatabaseApplyInput, "engine" | "server">,
  local: LocalDatabases | null,
): ServerAccess {
  const { engine, server } = input;
  if (server.kind === "external") return externalAccessOf(engine, server);
  if (!local)
    throw new OpFailure("CONFIG", "a node's own database server is reached by its agent only");
  if (engine === "mariadb") {
    const socket = { kind: "socket" as const, path: local.mariadb.socket };
    return {
      engine,
      admin: socket,
      credentials: { user: local.mariadb.adminUser },
      login: socket,
    };
  }
  const pg = local.postgres;
  return {
    engine,
    admin: { kind: "socket", path: pg.socketDir, port: pg.port },
    credentials: { user: pg.adminUser },
    login: { kind: "tcp", host: pg.loginHost, port: pg.port, tls: { mode: "disable", ca: null } },
  };
}

function externalAccessOf(
  engine: DatabaseApplyInput["engine"],
  t: Extract<DatabaseTarget, { kind: "external" }>,
): ServerAccess {
  const place = { kind: "tcp" as const, host: t.host, port: t.port, tls: t.tls };
  return {
    engine,
    admin: place,
    credentials: { user: t.adminUser, password: t.adminPassword },
    login: place,
  };
}

/** The passwords an action carries: never in a message the result or a log keeps. */
function secretsOf(input: DatabaseApplyInput): string[] {
  const a = input.action;
  const out = input.server.kind === "external" ? [input.server.adminPassword] : [];
  if (a.kind === "createUser") out.push(a.password);
  if (a.kind === "rotate") out.push(a.next, ...(a.old === null ? [] : [a.old]));
  return out.filter((s) => s.length > 0);
}

/** `message` without any of `secrets` */
export const redact = (message: string, secrets: string[]) =>
  secrets.reduce((m, s) => m.split(s).join("(password)"), message);

/** Runs the action; a server's refusal becomes a failure that says why (passwords redacted). */
export async function applyDatabaseAction(
  steps: Steps,
  input: DatabaseApplyInput,
  local: LocalDatabases | null,
): Promise<DatabaseApplyOutput> {
  const access = accessOf(input, local);
  try {
    return await perform(steps, access, input.action);
  } catch (error) {
    if (error instanceof OpFailure) throw error;
    const found = diagnose(error, access.admin, access.credentials.user);
    const message =
      found.kind === "other" && error instanceof Error ? error.message : found.message;
    throw new OpFailure("DATABASE_REFUSED", redact(message, secretsOf(input)).slice(0, 500));
  }
}

async function perform(
  steps: Steps,
  access: ServerAccess,
  a: DatabaseAction,
): Promise<DatabaseApplyOutput> {
  const user = "hosts" in a ? { name: a.name, hosts: a.hosts } : { name: "", hosts: [] };
  switch (a.kind) {
    case "test":
      return { report: await testConnection(access) };
    case "inventory":
      return inventory(access);
    case "createDatabase": {
      const { kind: _, ...spec } = a;
      await createDatabase(steps, access, spec);
      return {};
    }
    case "createUser":
      await createUser(
        steps,
        access,
        { ...user, password: a.password, connectionLimit: a.connectionLimit },
        a.grants,
      );
      return {};
    case "grant":
      await grantMore(steps, access, user, a.grants);
      return {};
    case "revoke":
      await revokeFrom(steps, access, user, a.databases);
      return {};
    case "rotate":
      await rotatePassword(
        steps,
        access,
        { ...user, ...(a.database ? { database: a.database } : {}) },
        { old: a.old, next: a.next },
      );
      return {};
    case "dropDatabase":
      await dropDatabase(steps, access, a.name);
      return {};
    case "dropUser":
      await dropUser(steps, access, user, a.databases);
      return {};
  }
}
