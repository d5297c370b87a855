// Composition root of `steward serve`: config -> db -> services -> http.
import type { Settings } from "./config/schema.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { buildApp } from "./http/app.ts";
import { createLogger } from "./log.ts";
import { createServices, publicUrlOf } from "./services.ts";

export async function serve(settings: Settings) {
  const log = createLogger(settings);
  const db = openDatabase(settings);
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ migrations: applied }, "database migrated");
  const svc = await createServices(settings, db, log);
  const { app } = await buildApp(svc);
  await app.listen({ port: settings.port, host: settings.listen });
  const url = `http://${settings.listen.includes(":") ? `[${settings.listen}]` : settings.listen}:${settings.port}`;
  process.stderr.write(
    `steward: serving ${url} (database ${db.where}, data in ${settings.dataDir})\n`,
  );
  const token = await svc.setup.issueToken();
  if (token) {
    log.warn(
      { setupToken: token },
      "no user exists yet: create the first super user with this setup token",
    );
    process.stderr.write(
      `steward: first run. Create the first super user with\n  curl -X POST ${url}/api/v1/setup -H 'content-type: application/json' -d '{"token":"${token}","email":"you@example.com","password":"a long password"}'\n  or: npx steward user create --super --email you@example.com\n  (console: ${publicUrlOf(settings)})\n`,
    );
  }
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "shutting down");
    await app.close();
    await db.close();
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));
  return { app, svc, close };
}
