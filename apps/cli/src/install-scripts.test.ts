// install/common.sh in install/agent.sh and install/panel.sh: each copy is current (else run
// `npm run gen:install`), the shared file is shellcheck clean POSIX sh, and the copying replaces
// exactly what lies between a script's BEGIN and END lines. Each script running alone is
// checked where it is tested (agent-installer.test.ts, install-panel.e2e.test.ts, and the
// served installer in apps/server/src/modules/install/installer.test.ts).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { COMMON, commonBody, installScripts, withCommon } from "./install-scripts.ts";
import { repoRoot } from "./testing/cli.ts";

const run = promisify(execFile);

describe("the installers' shared helpers", () => {
  it("are copied, current, into both installers", () => {
    const scripts = installScripts();
    expect(scripts.map((s) => s.name)).toEqual(["install/agent.sh", "install/panel.sh"]);
    for (const { name, text, wanted } of scripts)
      expect(
        text === wanted,
        `${name}: run npm run gen:install (its copy of ${COMMON} is stale)`,
      ).toBe(true);
  });

  it("are POSIX sh that shellcheck finds nothing in", async () => {
    const r = await run("shellcheck", ["--shell=sh", "--severity=style", join(repoRoot, COMMON)]);
    expect(r.stdout).toBe("");
  });

  it("replace only what lies between BEGIN and END; a script without them is refused", () => {
    const body = commonBody("# header\n# more\nsay() { :; }\n");
    expect(body).toBe("say() { :; }");
    const script = `#!/bin/sh\nPROG=x\n# BEGIN ${COMMON}: a copy\nold() { :; }\n# END ${COMMON}\nsay hi\n`;
    expect(withCommon(script, body, "x.sh")).toBe(
      `#!/bin/sh\nPROG=x\n# BEGIN ${COMMON}: a copy\nsay() { :; }\n# END ${COMMON}\nsay hi\n`,
    );
    expect(() => withCommon("#!/bin/sh\nsay hi\n", body, "x.sh")).toThrow(/x.sh has no/);
  });
});
