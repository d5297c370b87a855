// Upgrades that lose nothing (docs/configuration.md, "Upgrades"): each committed fixture — the
// rows of every table as an earlier release left them — is loaded into a database of its
// schema version, on SQLite and on PostgreSQL, which the current code then migrates (as
// `serve` and `steward db migrate` do, a copy first: SQLite's beside it, PostgreSQL's through
// the fixture's plan backing up Steward): every row is still there as it was, and the API lists
// the main resources. Every fixture has realistic rows in every table of its version.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dialects, freshPostgresDatabase } from "@steward/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { loadSettings } from "../config/load.ts";
import { startTestServer, type TestServer } from "../testing/harness.ts";
import {
  committedFixtures,
  fixtureMasterKey,
  loadFixture,
  missingRows,
  type UpgradeFixture,
} from "./fixtures/upgrade-fixture.ts";
import { migrateToLatest, migrateUpTo } from "./migrate.ts";
import { type Db, openDatabase, openPostgres, openSqlite } from "./open.ts";
import { POSTGRES_NOT_COPIED, postgresBeforeMigrating } from "./pre-migration.ts";

const fixtures = committedFixtures();

/** The fixture's rows of one table, by id. */
const ids = (fixture: UpgradeFixture, table: string) =>
  (fixture.tables.find((t) => t.name === table)?.rows ?? []).map((r) => r.id);

/** The main resources' lists (as requested) and the table each shows. */
const LISTS = {
  "/api/v1/accounts?limit=100": "accounts",
  "/api/v1/sites?limit=100": "sites",
  "/api/v1/dns/zones?limit=100": "dns_zones",
  "/api/v1/databases?limit=100": "databases",
  "/api/v1/backup-plans?limit=100": "backup_plans",
  "/api/v1/monitors?limit=100": "monitors",
  "/api/v1/nodes?limit=100": "nodes",
  "/api/v1/certificates?limit=100": "certificates",
  "/api/v1/status-pages?limit=100": "status_pages",
  "/api/v1/tunnels": "tunnels",
  "/api/v1/groups?limit=100": "groups",
};
/** Lists read one account at a time (`?account=`), and the table each shows. */
const ACCOUNT_LISTS = {
  "/api/v1/apps": "apps",
  "/api/v1/cms-sites": "cms_sites",
  "/api/v1/dns-providers": "dns_providers",
};

describe.each(dialects())("upgrade fixtures on %s", (dialect) => {
  let s: TestServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A database at the fixture's version holding its rows; the settings that open it. */
  async function prepare(fixture: UpgradeFixture): Promise<Record<string, string>> {
    dataDir = mkdtempSync(join(tmpdir(), "steward-upgrade-"));
    const url = dialect === "postgres" ? await freshPostgresDatabase() : undefined;
    const db: Db = url ? openPostgres(url, 2) : openSqlite(join(dataDir, "steward.db"));
    try {
      await migrateUpTo(db, fixture.version);
      await loadFixture(db, fixture);
    } finally {
      await db.close();
    }
    return {
      STEWARD_DATA_DIR: dataDir,
      STEWARD_MASTER_KEY: fixtureMasterKey(fixture.version),
      ...(url ? { STEWARD_DATABASE_URL: url } : {}),
    };
  }

  /** Migrates the database of `env` with the copy before; what was said. */
  async function migrateAsServeDoes(env: Record<string, string>): Promise<string[]> {
    const said: string[] = [];
    const settings = loadSettings(env);
    const db = openDatabase(settings);
    try {
      const log = { warn: (m: string) => said.push(m), info: (m: string) => said.push(m) };
      await migrateToLatest(db, postgresBeforeMigrating(settings, log));
    } finally {
      await db.close();
    }
    return said;
  }

  it("without a plan backing up Steward: SQLite is copied, PostgreSQL warned about, saying how", async () => {
    const env = await prepare({ version: "057-cms-sites", tables: [] });
    const said = await migrateAsServeDoes(env);
    const copies = existsSync(join(dataDir as string, "backups"))
      ? readdirSync(join(dataDir as string, "backups"))
      : [];
    if (dialect === "sqlite") {
      expect(said).toEqual([]);
      expect(copies).toEqual([expect.stringMatching(/^steward-before-057-cms-sites-.*\.db$/)]);
    } else {
      expect(said).toEqual([POSTGRES_NOT_COPIED]);
      expect(copies).toEqual([]);
    }
  });

  it.each(fixtures.map((f) => [f.version, f] as const))(
    "the fixture of %s is migrated with every row kept, and the API shows it",
    async (_, fixture) => {
      const env = await prepare(fixture);
      // migrated as serve and steward db migrate do: a copy first
      const said = await migrateAsServeDoes(env);
      const copies = readdirSync(join(dataDir as string, "backups"));
      const copy = `steward-before-${fixture.version}-`;
      if (dialect === "sqlite") expect(copies.some((c) => c.startsWith(copy))).toBe(true);
      else {
        // Steward's own backup, for the recipients of the fixture's steward plan
        const artifact = copies.find((c) => c.startsWith(copy) && c.endsWith(".stwbak"));
        expect(copies).toContain(`${artifact}.meta.json`);
        expect(said).toEqual([expect.stringMatching(/^copied before migrating .*steward-nightly/)]);
      }
      s = await startTestServer(dialect, env);
      expect(await missingRows(s.svc.db, fixture)).toEqual([]);
      const admin = await s.createUser("upgrade@example.com", { super: true });
      const key = await s.apiKey(admin.id);
      for (const [path, table] of Object.entries(LISTS)) {
        const res = await s.request("GET", path, { key });
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
        const listed = ((res.body?.items ?? []) as { id: string }[]).map((i) => i.id);
        expect(listed, path).toEqual(expect.arrayContaining(ids(fixture, table)));
      }
      for (const [path, table] of Object.entries(ACCOUNT_LISTS)) {
        const rows = fixture.tables.find((t) => t.name === table)?.rows ?? [];
        for (const account of new Set(rows.map((r) => String(r.account_id)))) {
          const res = await s.request("GET", `${path}?account=${account}`, { key });
          expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
          const listed = ((res.body?.items ?? []) as { id: string }[]).map((i) => i.id);
          const mine = rows.filter((r) => r.account_id === account).map((r) => r.id);
          expect(listed, path).toEqual(expect.arrayContaining(mine));
        }
      }
      // and a row that went missing is named
      const record = fixture.tables.find((t) => t.name === "dns_records")?.rows[0];
      await s.svc.db.db.deleteFrom("dns_records").where("id", "=", String(record?.id)).execute();
      expect(await missingRows(s.svc.db, fixture)).toEqual([
        `dns_records: ${JSON.stringify(record)}`,
      ]);
    },
    120_000,
  );
});

describe("the upgrade fixtures", () => {
  it.each(fixtures.map((f) => [f.version, f] as const))(
    "%s has realistic rows in every table of its schema version",
    async (_, fixture) => {
      const dir = mkdtempSync(join(tmpdir(), "steward-upgrade-"));
      const db = openSqlite(join(dir, "steward.db"));
      try {
        await migrateUpTo(db, fixture.version);
        const tables = (await db.db.introspection.getTables()).map((t) => t.name);
        const filled = new Set(fixture.tables.filter((t) => t.rows.length).map((t) => t.name));
        const empty = tables.filter((t) => !t.startsWith("steward_migration") && !filled.has(t));
        expect(empty, "run npm run fixture:upgrade (docs/configuration.md)").toEqual([]);
        // no table left to seed.ts's placeholders ("fixture-<table>-<column>"): seed-*.ts rows
        const placeholders = fixture.tables
          .filter((t) => JSON.stringify(t.rows).includes(`"fixture-${t.name.replace(/_/g, "-")}-`))
          .map((t) => t.name);
        expect(placeholders, "give these tables rows in fixtures/seed-*.ts").toEqual([]);
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
