import { simple } from "acorn-walk";
import { describe, expect, it } from "vitest";
import { listSources, parseCode, parseSource } from "./source.ts";

describe("architecture sources", () => {
  it("lists the server's sources without tests and parses each one", () => {
    const files = listSources("apps/server/src");
    expect(files).toContain("apps/server/src/architecture/source.ts");
    expect(files.some((file) => file.endsWith(".test.ts"))).toBe(false);
    for (const file of files) expect(parseSource(file).program.type).toBe("Program");
  });

  it("keeps lines true and sees calls, not comments", () => {
    const program = parseCode(
      'type Row = { id: string };\n// db.selectFrom("nodes")\nconst rows: Row[] = db.selectFrom("sites");\n',
    );
    const calls: { name: string; line: number }[] = [];
    simple(program, {
      CallExpression(node) {
        const argument = node.arguments[0];
        if (argument?.type === "Literal")
          calls.push({ name: String(argument.value), line: node.loc?.start.line ?? 0 });
      },
    });
    expect(calls).toEqual([{ name: "sites", line: 3 }]);
  });
});
