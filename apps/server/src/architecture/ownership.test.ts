// One owner per table: every use of a table in the server's code (a Kysely builder call or a
// raw `sql` template naming it) is in a file the map of owners.ts allows, and readers only read.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ANY_TABLE_READERS, OWNERS, type TableOwner } from "./owners.ts";
import { listSources, parseCode, parseSource, repoRoot } from "./source.ts";
import { DYNAMIC, tableUses } from "./table-uses.ts";

const SERVER = "apps/server/src/";
const TABLES = Object.keys(OWNERS);

const covers = (paths: string[] | undefined, file: string) =>
  (paths ?? []).some((path) => (path.endsWith("/") ? file.startsWith(path) : file === path));

/** What is wrong with a use of `table` in `file` (relative to apps/server/src), or null. */
function breach(file: string, table: string, write: boolean): string | null {
  if (table === DYNAMIC)
    return !write && covers(ANY_TABLE_READERS, file) ? null : "names a table by a variable";
  const owner: TableOwner | undefined = OWNERS[table as keyof typeof OWNERS];
  if (!owner || covers(owner.owners, file)) return null;
  if (covers(owner.readers, file)) return write ? `writes ${table}, which it may only read` : null;
  return `uses ${table}, owned by ${owner.owners.join(", ")}`;
}

function breaches(files: { path: string; code?: string }[]): string[] {
  const found: string[] = [];
  for (const { path, code } of files) {
    const program = code === undefined ? parseSource(path).program : parseCode(code);
    const file = path.slice(SERVER.length);
    for (const use of tableUses(program, TABLES)) {
      const problem = breach(file, use.table, use.write);
      if (problem) found.push(`${path}:${use.line} ${problem}`);
    }
  }
  return found;
}

describe("one owner per table", () => {
  it("every use of a table is its owner's or a reader's read", () => {
    // migrations, and the upgrade fixtures that load every table's rows as a release left
    // them (docs/configuration.md, "Upgrades"), act on the schema, not on one module's data
    const sources = listSources("apps/server/src").filter(
      (path) =>
        !path.startsWith(`${SERVER}db/migrations/`) && !path.startsWith(`${SERVER}db/fixtures/`),
    );
    expect(breaches(sources.map((path) => ({ path })))).toEqual([]);
  });

  it("the map names files that exist", () => {
    const paths = [
      ...Object.values(OWNERS).flatMap((o) => [...o.owners, ...(o.readers ?? [])]),
      ...ANY_TABLE_READERS,
    ];
    expect(paths.filter((path) => !existsSync(join(repoRoot, SERVER, path)))).toEqual([]);
  });

  it("counts calls and raw SQL, not comments or other strings, and refuses readers' writes", () => {
    const code = [
      "// db.selectFrom('nodes') in a comment",
      'const note = "insertInto nodes";',
      'await db.selectFrom("nodes as n").selectAll().execute();',
      "await sql`update sites set status = 'failed'`.execute(db);",
      'await db.updateTable("audit_events").set({ outcome }).execute();',
      "await db.selectFrom(table).selectAll().execute();",
      'await db.selectFrom("audit_events").select("at").execute();',
      // a common table expression named like a table is not that table; the table still is
      "await sql`with done as (select 1), events as (select 2) select * from events`.execute(db);",
      "await sql`select * from events`.execute(db);",
    ].join("\n");
    const path = `${SERVER}access/policies/audit.ts`;
    expect(breaches([{ path, code }])).toEqual([
      `${path}:3 uses nodes, owned by modules/nodes/repo.ts`,
      `${path}:4 uses sites, owned by modules/sites/repo.ts`,
      `${path}:5 writes audit_events, which it may only read`,
      `${path}:6 names a table by a variable`,
      `${path}:9 uses events, owned by modules/events/repo.ts`,
    ]);
  });
});
