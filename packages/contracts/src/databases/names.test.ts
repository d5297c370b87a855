// The one name validator: each rule, per engine, and the hostile list.
import { describe, expect, it } from "vitest";
import { BAD_DATABASE_NAMES } from "../testing/hostile.ts";
import { databaseEngines, databaseNameProblem } from "./names.ts";

describe("database and user names", () => {
  it.each(databaseEngines)("accepts plain names on %s", (engine) => {
    for (const name of ["shop", "shop_2", "a", "wp_blog_prod"])
      for (const kind of ["database", "user"] as const)
        expect(databaseNameProblem(engine, kind, name)).toBeNull();
  });

  it.each([
    ["", "must not be empty"],
    ["a\u0000b", "NUL"],
    ["shop'x", "quotes"],
    ['shop"x', "quotes"],
    ["shop`x", "backticks"],
    ["shop;x", "semicolons"],
    ["shop--x", '"--"'],
    ["Shop", "lowercase letters"],
    ["1shop", "starting with a letter"],
    ["shop-x", "lowercase letters"],
    ["shop x", "lowercase letters"],
    ["select", "reserved word"],
    ["user", "reserved word"],
    ["pg_shop", "reserved by"],
  ])("refuses %j (%s) on both engines", (name, message) => {
    for (const engine of databaseEngines)
      expect(databaseNameProblem(engine, "database", name)).toContain(message);
  });

  it("knows each engine's own names and lengths", () => {
    expect(databaseNameProblem("mariadb", "database", "mysql")).toBe("is reserved by MariaDB");
    expect(databaseNameProblem("postgres", "database", "mysql")).toBeNull();
    expect(databaseNameProblem("postgres", "database", "template1")).toBe(
      "is reserved by PostgreSQL",
    );
    expect(databaseNameProblem("mariadb", "database", "postgres")).toBeNull();
    expect(databaseNameProblem("mariadb", "user", "a".repeat(80))).toBeNull();
    expect(databaseNameProblem("mariadb", "database", "a".repeat(65))).toBe(
      "must be at most 64 characters",
    );
    expect(databaseNameProblem("postgres", "user", "a".repeat(64))).toBe(
      "must be at most 63 characters",
    );
  });

  it.each(BAD_DATABASE_NAMES)("refuses the hostile name %j somewhere", (name) => {
    const refusedBy = databaseEngines.filter(
      (engine) => databaseNameProblem(engine, "database", name) !== null,
    );
    expect(refusedBy.length).toBeGreaterThan(0);
  });
});
