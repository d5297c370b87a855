// The two dialects every repository and engine test runs on.
import { inject } from "vitest";
import { createDatabase, databaseUrl, withClient } from "./postgres.ts";

export type DialectName = "sqlite" | "postgres";

/** Dialects available in this run: SQLite always, PostgreSQL when the global setup started it. */
export function dialects(): DialectName[] {
  return inject("pgUrl") ? ["sqlite", "postgres"] : ["sqlite"];
}

function runPostgres(): string {
  const base = inject("pgUrl");
  if (!base) throw new Error("PostgreSQL is not running in this test run");
  return base;
}

/** A fresh, empty PostgreSQL database in the run's server; returns its URL. */
export function freshPostgresDatabase(): Promise<string> {
  return createDatabase(runPostgres());
}

const templates = new Map<string, Promise<void>>();

/**
 * A fresh PostgreSQL database in the run's server that is a copy of template `name`; returns
 * its URL. The template is built once per run by `build` (given its URL, and closing every
 * connection it opens) in whichever test file asks first, under an advisory lock: the other
 * files, in this process or another worker, wait for it and copy it (a file copy, much
 * faster than building again, e.g. running every migration).
 */
export async function templatedPostgresDatabase(
  name: string,
  build: (url: string) => Promise<void>,
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const base = runPostgres();
  let ready = templates.get(name);
  if (!ready) {
    ready = ensureTemplate(base, name, build);
    templates.set(name, ready);
  }
  await ready;
  return createDatabase(base, name);
}

async function ensureTemplate(base: string, name: string, build: (url: string) => Promise<void>) {
  await withClient(base, async (c) => {
    await c.query("select pg_advisory_lock(hashtext($1))", [name]);
    try {
      const found = await c.query("select 1 from pg_database where datname = $1", [name]);
      if (found.rowCount) return;
      await c.query(`create database "${name}"`);
      try {
        await build(databaseUrl(base, name));
      } catch (e) {
        await c.query(`drop database "${name}" with (force)`);
        throw e;
      }
    } finally {
      await c.query("select pg_advisory_unlock(hashtext($1))", [name]);
    }
  });
}
