// Before a PostgreSQL database with a schema is migrated (docs/configuration.md, "Upgrades"):
// when a backup plan has a `steward` source (docs/backups.md, "Steward's own backup"), Steward
// is exported through the backups capability, encrypted for that plan's recipients, to
// `<data dir>/backups/steward-before-<last migration>-<time>.stwbak` (the newest few kept);
// otherwise a warning says how to take a copy. SQLite is copied by migrate.ts itself.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { systemActor } from "../access/types.ts";
import type { Settings } from "../config/schema.ts";
import { keepNewest, MIGRATION_BACKUPS_KEPT, migrationStamp } from "./migrate.ts";
import type { Db } from "./open.ts";

export const POSTGRES_NOT_COPIED =
  "PostgreSQL is not copied by Steward before migrating and no backup plan has a steward " +
  "source: take a copy first (pg_dump -Fc, or steward backup export; docs/configuration.md, " +
  '"Upgrades"), or add a plan with a steward source so that upgrades back up through it';

/** A plan backing up Steward itself (its recipients are required), or null (none before 054). */
async function stewardPlan({ db }: Db): Promise<{ name: string; recipients: string[] } | null> {
  // loaded when a PostgreSQL database is migrated, not with every CLI command
  const [{ findPlan, idsOf, plansOfAccount }, { findStewardSource }] = await Promise.all([
    import("../modules/backups/plans-repo.ts"),
    import("../modules/backups/sources-repo.ts"),
  ]);
  try {
    const source = await findStewardSource(db);
    if (!source?.account_id) return null;
    const plans = await plansOfAccount(db, source.account_id);
    const match = plans.find((p) => idsOf(p.source_ids).includes(source.id));
    const plan = match ? await findPlan(db, match.id) : undefined;
    const recipients = plan ? idsOf(plan.recipients) : [];
    return plan && recipients.length ? { name: plan.name, recipients } : null;
  } catch {
    return null; // a schema without backup plans or steward sources
  }
}

/** Where what happens before migrating is said (serve's log; the CLI's standard error). */
export interface MigrationLog {
  warn(message: string): void;
  info(message: string): void;
}

/**
 * What migrateToLatest runs before migrating a PostgreSQL database that has a schema: the
 * export to a file through a steward plan's recipients, or the warning. Returns what it did.
 */
export function postgresBeforeMigrating(settings: Settings, log: MigrationLog) {
  return async (handle: Db, executed: string[]): Promise<string | null> => {
    const plan = await stewardPlan(handle);
    if (!plan) {
      log.warn(POSTGRES_NOT_COPIED);
      return null;
    }
    const dir = join(settings.dataDir, "backups");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `steward-before-${executed.at(-1)}-${migrationStamp()}.stwbak`;
    const [{ exportSteward }, { openDestination }] = await Promise.all([
      import("../selfbackup/export.ts"),
      import("@steward/agent/backups"),
    ]);
    const result = await exportSteward(settings, handle, systemActorCtx(), {
      recipients: plan.recipients,
      name,
      destinations: [
        { id: "file", destination: openDestination({ kind: "local", nodeId: "local", path: dir }) },
      ],
    });
    const error = result.error ?? result.destinations[0]?.error;
    if (result.status !== "succeeded")
      throw new Error(
        `the copy before migrating failed (plan ${plan.name}): ${error ?? "unknown"}`,
      );
    keepNewest(dir, /^steward-before-.*\.stwbak$/, MIGRATION_BACKUPS_KEPT, ".meta.json");
    log.info(
      `copied before migrating (for the recipients of plan ${plan.name}): ${join(dir, name)}`,
    );
    return join(dir, name);
  };
}

const systemActorCtx = () => ({
  actor: systemActor("upgrade"),
  grants: [],
  ip: null,
  requestId: `upgrade-${Date.now()}`,
});
