// Our migration 001 creates better-auth's tables; better-auth's own migration planner must
// find nothing to create, add or change with the options Steward really uses.
import { dialects } from "@steward/testkit";
import { getSchema } from "better-auth/db";
import { getMigrations, matchType } from "better-auth/db/migration";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authOptions } from "../auth/better-auth.ts";
import { openTestDb } from "../testing/test-db.ts";
import type { Db } from "./open.ts";

describe.each(dialects())("better-auth schema on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(() => db?.close());
  const options = () =>
    authOptions({
      db,
      secret: "a-test-secret-of-enough-length-000",
      publicUrl: "http://localhost:8080",
    });

  it("leaves better-auth's migration planner nothing to do", async () => {
    const plan = await getMigrations(options(), { throwOnUnsafe: false });
    expect(plan.toBeCreated).toEqual([]);
    expect(plan.toBeAdded).toEqual([]);
    expect(plan.toBeAddedIndexes).toEqual([]);
    expect(plan.unsafeChanges).toEqual([]);
    expect(plan.schemaProblems).toEqual([]);
    expect(await plan.compileMigrations()).toBe(";");
  });

  it("has the column types and nullability better-auth expects", async () => {
    const tables = await db.db.introspection.getTables();
    const problems: string[] = [];
    for (const [name, table] of Object.entries(getSchema(options()))) {
      const columns = tables.find((t) => t.name === name)?.columns ?? [];
      for (const [field, attr] of Object.entries(table.fields)) {
        const column = columns.find((c) => c.name === field);
        const where = `${name}.${field}`;
        if (!column) {
          problems.push(`${where}: missing`);
          continue;
        }
        if (!matchType(column.dataType, attr.type, dialect)) {
          problems.push(`${where}: ${column.dataType} is not a ${String(attr.type)}`);
        }
        if (attr.required !== false && column.isNullable) problems.push(`${where}: nullable`);
        // a NOT NULL column better-auth may omit must get a value from its default
        if (attr.required === false && !column.isNullable && attr.defaultValue === undefined) {
          problems.push(`${where}: NOT NULL without a default`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
