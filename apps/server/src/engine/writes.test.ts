// The engine owns every task write (docs/tasks.md): outside apps/server/src/engine/ no
// source inserts into, updates or deletes from the engine's tables; others call the engine
// (enqueue, cancel, rerun, patch) and may read. Checked on the syntax tree, so a comment or a
// string that merely mentions a table does not count. Tests and test support
// (apps/server/src/testing/) prepare their own rows; migrations create the tables.
import { describe, expect, it } from "vitest";
import { listSources, parseCode, parseSource, type SourceFile } from "../architecture/source.ts";
import { tableUses } from "../architecture/table-uses.ts";

const ENGINE_TABLES = ["tasks", "task_deps", "task_logs", "task_gaps"];

/** Every write of `file` to one of the engine's tables, in source order. */
const tableWrites = (file: SourceFile) =>
  tableUses(file.program, ENGINE_TABLES)
    .filter((use) => use.write)
    .map((use) => ({ path: file.path, ...use }));
const OWNER = "apps/server/src/engine/";
const EXEMPT = [
  "apps/server/src/db/migrations/",
  // upgrade fixtures load a release's rows into every table as they were (docs/configuration.md)
  "apps/server/src/db/fixtures/",
  "apps/server/src/testing/",
  "apps/cli/src/testing/",
];

const writesIn = (code: string) =>
  tableWrites({ path: "example.ts", program: parseCode(code) }).map(
    (write) => `${write.line}:${write.table}:${write.how}`,
  );

describe("the engine owns every task write", () => {
  it("finds no write to the engine's tables outside apps/server/src/engine/", () => {
    const sources = [...listSources("apps/server/src"), ...listSources("apps/cli/src")].filter(
      (path) => !path.startsWith(OWNER) && !EXEMPT.some((dir) => path.startsWith(dir)),
    );
    expect(sources.length).toBeGreaterThan(50);
    const outside = sources
      .flatMap((path) => tableWrites(parseSource(path)))
      .map((write) => `${write.path}:${write.line} writes ${write.table} (${write.how})`);
    expect(outside, "call the engine (enqueue, cancel, rerun, patch) instead").toEqual([]);
  });

  it("sees the engine's own writes, so the rule above has something to miss", () => {
    const inEngine = listSources(OWNER).flatMap((path) => tableWrites(parseSource(path)));
    const tables = new Set(inEngine.map((write) => write.table));
    expect([...tables].sort()).toEqual([...ENGINE_TABLES].sort());
  });

  it("counts builder calls and SQL text, not comments, reads or other tables", () => {
    const code = [
      'type Row = { id: string }; // db.deleteFrom("tasks")',
      "/* update tasks set state = 'queued' */",
      'db.updateTable("tasks as t").set({ state: "queued" });',
      'db.selectFrom("tasks").selectAll(); db.insertInto("sites").values({});',
      `sql\`delete from task_logs where at < \${cutoff}\`.execute(db);`,
      'pool.query("insert into task_deps (task_id) values ($1)");',
      `sql\`update tasks set run_at = \${now} where id = \${id}\`;`,
      'const say = "update tasks when you can"; db.deleteFrom(`task_gaps`);',
    ].join("\n");
    expect(writesIn(code)).toEqual([
      "3:tasks:updateTable",
      "5:task_logs:sql",
      "6:task_deps:sql",
      "7:tasks:sql",
      "8:task_gaps:deleteFrom",
    ]);
  });
});
