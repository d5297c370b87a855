// Workspaces depend on each other by name only (docs/architecture.md): a file in apps/*,
// packages/* or bench/ never reaches into another one by a relative path such as
// `../../../agent/src/...`; it imports `@steward/agent/testing` and the like, so what a
// package offers is what its package.json "exports" lists. Checked on the syntax tree, so a
// comment or a string that merely mentions a path does not count; type-only imports do.

import { posix } from "node:path";
import type { Program } from "acorn";
import { simple } from "acorn-walk";
import { describe, expect, it } from "vitest";
import { listSources, parseCode, parseSource } from "./source.ts";

const ROOTS = ["apps", "packages"];

/**
 * The workspace a repository path belongs to: `apps/agent`, `packages/contracts`; the
 * benchmarks are one (`bench`: they share `bench/lib` and the load generator).
 */
function workspaceOf(path: string): string | null {
  const [root, name] = path.split("/");
  if (root === "bench") return "bench";
  return root && name && ROOTS.includes(root) ? `${root}/${name}` : null;
}

/** Every module specifier a program names: static imports, re-exports and `import()`. */
function specifiers(program: Program): { specifier: string; line: number }[] {
  const found: { specifier: string; line: number }[] = [];
  const add = (source: unknown, line: number | undefined) => {
    const literal = source as { type?: string; value?: unknown } | null | undefined;
    if (literal?.type === "Literal" && typeof literal.value === "string")
      found.push({ specifier: literal.value, line: line ?? 0 });
  };
  simple(program, {
    ImportDeclaration: (node) => add(node.source, node.loc?.start.line),
    ExportNamedDeclaration: (node) => add(node.source, node.loc?.start.line),
    ExportAllDeclaration: (node) => add(node.source, node.loc?.start.line),
    ImportExpression: (node) => add(node.source, node.loc?.start.line),
  });
  return found;
}

/** `path:line specifier` for each relative import of `path` that lands in another workspace. */
function crossWorkspaceImports(path: string, program: Program): string[] {
  const own = workspaceOf(path);
  return specifiers(program)
    .filter(({ specifier }) => specifier.startsWith("."))
    .filter(({ specifier }) => {
      const target = posix.normalize(posix.join(posix.dirname(path), specifier));
      return workspaceOf(target) !== own;
    })
    .map(({ specifier, line }) => `${path}:${line} ${specifier}`);
}

describe("imports between workspaces", () => {
  it("finds a relative import into another workspace, whatever its form", () => {
    const program = parseCode(
      [
        '// import { x } from "../../../agent/src/ops/types.ts";',
        'import type { OpContext } from "../../../agent/src/ops/types.ts";',
        'export * from "../../../../packages/testkit/src/index.ts";',
        'const lazy = await import("../../../cli/src/main.ts");',
        'import { ok } from "../lib/ok.ts";',
        'const text = "../../../web/src/main.tsx";',
      ].join("\n"),
      { typeImports: true },
    );
    expect(crossWorkspaceImports("apps/server/src/agents/x.ts", program)).toEqual([
      "apps/server/src/agents/x.ts:2 ../../../agent/src/ops/types.ts",
      "apps/server/src/agents/x.ts:3 ../../../../packages/testkit/src/index.ts",
      "apps/server/src/agents/x.ts:4 ../../../cli/src/main.ts",
    ]);
  });

  it("no source or test in apps/*, packages/* or bench/* imports another workspace by path", () => {
    const files = [...ROOTS, "bench"].flatMap((root) => listSources(root, { tests: true }));
    expect(files).toContain("bench/sites/run.ts");
    const offending = files.flatMap((file) =>
      crossWorkspaceImports(file, parseSource(file, { typeImports: true }).program),
    );
    expect(offending).toEqual([]);
  });
});
