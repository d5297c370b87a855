// `npm run fixture:upgrade [-- --version NNN-name]`: writes the upgrade fixture of a schema
// version (default: the newest migration) to apps/server/src/db/fixtures/upgrade/<version>.json,
// its master key beside it (docs/configuration.md, "Upgrades").
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildFixture } from "../apps/server/src/db/fixtures/seed.ts";
import { FIXTURE_DIR } from "../apps/server/src/db/fixtures/upgrade-fixture.ts";
import { knownMigrations } from "../apps/server/src/db/migrate.ts";

const { values } = parseArgs({ options: { version: { type: "string" } } });
const known = knownMigrations();
const version = values.version ?? (known.at(-1) as string);
if (!known.includes(version)) {
  console.error(`--version: not a migration of this Steward: ${JSON.stringify(version)}`);
  process.exit(2);
}
const keyFile = join(FIXTURE_DIR, `${version}.key`);
// the key stays when a fixture is regenerated, so that only what changed changes
if (!existsSync(keyFile)) writeFileSync(keyFile, `${randomBytes(32).toString("base64")}\n`);
const key = Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64");
const dir = mkdtempSync(join(tmpdir(), "steward-fixture-"));
try {
  const fixture = await buildFixture(join(dir, "steward.db"), version, key);
  const out = join(FIXTURE_DIR, `${version}.json`);
  writeFileSync(out, `${JSON.stringify(fixture, null, 2)}\n`);
  const rows = fixture.tables.reduce((n, t) => n + t.rows.length, 0);
  console.log(`${out}: ${fixture.tables.length} tables, ${rows} rows`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
