// Steward's own services on a migrated database, for benches that seed before the panel
// starts: the same code paths the API uses, acting as a system actor.
import {
  type Ctx,
  createServices,
  type Db,
  loadSettings,
  migrateToLatest,
  openDatabase,
  type Services,
  systemActor,
} from "@steward/server";
import pino from "pino";

export interface Seeding {
  db: Db;
  svc: Services;
  ctx: Ctx;
  close(): Promise<void>;
}

/** Opens (SQLite in `dataDir`, or the PostgreSQL database at `databaseUrl`) and migrates; `env`: more settings. */
export async function openSeeding(
  dataDir: string,
  databaseUrl?: string,
  env: Record<string, string> = {},
): Promise<Seeding> {
  const settings = loadSettings({
    STEWARD_DATA_DIR: dataDir,
    ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const db = openDatabase(settings);
  await migrateToLatest(db);
  const svc = await createServices(settings, db, pino({ level: "silent" }));
  const ctx: Ctx = { actor: systemActor("bench"), grants: [], ip: null, requestId: "bench" };
  return {
    db,
    svc,
    ctx,
    async close() {
      await svc.engine.stop();
      await db.close();
    },
  };
}
