// Reading the repository's own TypeScript as syntax trees, for the tests in this folder that
// enforce the code's written rules (docs/architecture.md): a rule checked on the tree cannot be
// fooled by a comment or a string that merely mentions a name.
import { readdirSync, readFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Program, parse } from "acorn";

/** The repository's root directory. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export type SourceFile = {
  /** path relative to the repository root, with forward slashes */
  path: string;
  program: Program;
};

/** Every `.ts` file below `dir` (relative to the repository root), tests left out unless asked. */
export function listSources(dir: string, options: { tests?: boolean } = {}): string[] {
  const found: string[] = [];
  const walk = (absolute: string) => {
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const child = join(absolute, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        if (!options.tests && entry.name.endsWith(".test.ts")) continue;
        found.push(relative(repoRoot, child).split("\\").join("/"));
      }
    }
  };
  walk(join(repoRoot, dir));
  return found.sort();
}

export type ParseOptions = {
  /**
   * Keep type-only imports and re-exports (`import type { A } from "a"`, `export type * from
   * "b"`) in the tree as plain ones; stripping would otherwise erase them, and a rule about
   * which module may import which must see them. The `type` keyword becomes spaces.
   */
  typeImports?: boolean;
};

// `import type …`, and `export type … from`/`export type *` (not a local `export type { A }`)
const typeOnlyModuleSyntax =
  /\b(import)(\s+)type(?=\s*[{*]|\s+[A-Za-z_$][\w$]*\s*(,|from\b))|\b(export)(\s+)type(?=\s*\{[^}]*\}\s*from\b|\s*\*)/g;

/** Parses TypeScript source (types stripped in place, so lines and columns stay true). */
export function parseCode(code: string, options: ParseOptions = {}): Program {
  const typed = options.typeImports
    ? code.replace(typeOnlyModuleSyntax, (match) => `${match.slice(0, -"type".length)}    `)
    : code;
  const javascript = stripTypeScriptTypes(typed, { mode: "strip" });
  return parse(javascript, { ecmaVersion: "latest", sourceType: "module", locations: true });
}

/** Parses one file of the repository. */
export function parseSource(path: string, options: ParseOptions = {}): SourceFile {
  return { path, program: parseCode(readFileSync(join(repoRoot, path), "utf8"), options) };
}
