// `npm run bench:api [-- --json] [--db sqlite,postgres] [--seed-only] [--sites N] [--tasks N] [--audit N] …`:
// Steward's authenticated API lists at scale. Seeds 10,000 sites, 1,000,000 tasks and
// 1,000,000 audit events (bench/api/prepare.ts), then measures every GET list endpoint.
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { type Prepared, prepare } from "./prepare.ts";
import type { Dialect } from "./rows.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    "seed-only": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    db: { type: "string", default: "sqlite,postgres" },
    sites: { type: "string", default: "10000" },
    tasks: { type: "string", default: "1000000" },
    audit: { type: "string", default: "1000000" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

function describe(p: Prepared): string {
  const rows = Object.entries(p.rows)
    .map(([table, n]) => `${n} ${table}`)
    .join(", ");
  return `${p.dialect}: ${rows} seeded in ${p.seconds.toFixed(1)} s`;
}

async function main(): Promise<number> {
  const dialects = values.db.split(",") as Dialect[];
  const counts = {
    sites: Number(values.sites),
    tasks: Number(values.tasks),
    audit: Number(values.audit),
  };
  const pg = dialects.includes("postgres") ? await startPostgres() : null;
  if (dialects.includes("postgres") && !pg) throw new Error("PostgreSQL binaries are missing");
  try {
    for (const dialect of dialects) {
      const url = dialect === "postgres" ? await pg?.createDatabase() : undefined;
      const prepared = await prepare(dialect, counts, url);
      say(describe(prepared));
      if (values["seed-only"] && values.keep) say(`kept ${prepared.dataDir}`);
      else rmSync(prepared.dataDir, { recursive: true, force: true });
    }
  } finally {
    await pg?.stop();
  }
  return 0;
}

const watchdog = setTimeout(() => {
  say("watchdog: the run took over 40 minutes; stopping");
  process.exit(2);
}, 40 * 60_000);
main().then(
  (code) => {
    clearTimeout(watchdog);
    process.exit(code);
  },
  (err) => {
    say(`failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
