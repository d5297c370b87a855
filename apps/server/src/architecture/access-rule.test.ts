// Access decisions only in access/: every other server source asks the named policies.
import { describe, expect, it } from "vitest";
import { accessViolations } from "./access-rule.ts";
import { listSources, parseCode, parseSource } from "./source.ts";

const OWN = ["apps/server/src/access/", "apps/server/src/testing/"];

describe("access rule", () => {
  it("finds no role, super flag or scope inspected outside access/", () => {
    const files = listSources("apps/server/src").filter((f) => !OWN.some((o) => f.startsWith(o)));
    expect(files.length).toBeGreaterThan(50);
    const broken = files.flatMap((file) =>
      accessViolations(file, parseSource(file).program).map((v) => `${file}:${v.line} ${v.what}`),
    );
    expect(broken).toEqual([]);
  });

  it("catches each way of deciding inline, and not comments or types", () => {
    const path = "apps/server/src/modules/example/service.ts";
    const code = [
      'import { type Decision, enforce } from "../../access/decision.ts";',
      'import { authorize, SUPER_GROUP } from "../../access/service.ts";',
      'import { allows } from "../../access/policy.ts";',
      'import { sites } from "../../access/policies/sites.ts";',
      "// ctx.actor.isSuper in a comment",
      "const a: Decision = sites.canRead(ctx, row);",
      "if (ctx.actor?.isSuper) go();",
      'if (actor.scopes.includes("*")) go();',
      "if (id === SUPER_GROUP) go();",
      'if (input.principalId === "super") go();',
      'if (roleRank(role) >= roleRank("admin")) go();',
      "const groups = ctx.actor.groupIds;",
      "const scopes = input.scopes;",
    ].join("\n");
    const found = accessViolations(path, parseCode(code)).map((v) => `${v.line} ${v.what}`);
    expect(found).toEqual([
      "2 imports authorize from access/service.ts",
      "3 imports allows from access/policy.ts",
      "7 reads .isSuper",
      "8 reads the actor's key scopes",
      "9 compares with the super group",
      "10 compares with the super group",
      "11 compares role ranks",
      "12 reads .groupIds",
    ]);
  });
});
