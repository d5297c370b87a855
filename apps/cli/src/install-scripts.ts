// install/common.sh copied into install/agent.sh and install/panel.sh between their BEGIN and
// END lines (docs/install.md): each script is downloaded and run alone (`curl … | sh`, `sh
// panel.sh`), so neither can source it. `npm run gen:install` writes the copies;
// install-scripts.test.ts fails when one is not current.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "../../..");
export const COMMON = "install/common.sh";
export const SCRIPTS = ["install/agent.sh", "install/panel.sh"] as const;
const BEGIN = `# BEGIN ${COMMON}`;
const END = `# END ${COMMON}`;

/** common.sh without its header comment: what the scripts carry */
export function commonBody(common: string): string {
  const lines = common.split("\n");
  return lines
    .slice(lines.findIndex((l) => !l.startsWith("#")))
    .join("\n")
    .trimEnd();
}

/** The script with the lines between its BEGIN and END lines replaced by `body`. */
export function withCommon(script: string, body: string, name: string): string {
  const lines = script.split("\n");
  const begin = lines.findIndex((l) => l.startsWith(BEGIN));
  const end = lines.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${name} has no "${BEGIN}" … "${END}" lines`);
  return [...lines.slice(0, begin + 1), body, ...lines.slice(end)].join("\n");
}

/** Each script as it should be: [its path in the repository, the text it has, the text it should]. */
export function installScripts(root = repoRoot) {
  const body = commonBody(readFileSync(join(root, COMMON), "utf8"));
  return SCRIPTS.map((name) => {
    const text = readFileSync(join(root, name), "utf8");
    return { name, text, wanted: withCommon(text, body, name) };
  });
}

if (import.meta.main) {
  for (const { name, text, wanted } of installScripts())
    if (wanted !== text) {
      writeFileSync(join(repoRoot, name), wanted);
      console.log(`${name}: ${COMMON} copied in`);
    } else console.log(`${name}: current`);
}
