// install/agent.sh on its own: shellcheck-clean POSIX sh, and hostile values of every option
// refused with a message naming it before anything is written (the scratch root stays
// empty). The install itself runs against a real panel in agent-install.e2e.test.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./testing/cli.ts";

const run = promisify(execFile);
const script = join(repoRoot, "install/agent.sh");
const root = mkdtempSync(join(tmpdir(), "steward-installer-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const valid: Record<string, string> = {
  "--panel": "https://panel.example.com",
  "--version": "1.2.3",
  "--token": "t".repeat(43),
  "--root": root,
};

async function refused(flag: string, value: string) {
  const args = Object.entries({ ...valid, [flag]: value }).flat();
  const r = await run("sh", [script, ...args, "--no-systemd"]).then(
    () => ({ code: 0, stderr: "" }),
    (e: { code: number; stderr: string }) => e,
  );
  return { code: r.code, stderr: r.stderr, written: readdirSync(root) };
}

describe("install/agent.sh", () => {
  it("is POSIX sh that shellcheck finds nothing in", async () => {
    const r = await run("shellcheck", ["--shell=sh", "--severity=style", script]);
    expect(r.stdout).toBe("");
  });

  const hostile: [string, string[]][] = [
    ["--root", ["relative/dir", `${root}/../etc`, `${root}/a b`, `${root}/$(id)`, `${root};x`]],
    [
      "--panel",
      [
        "ftp://panel.example.com",
        "https://panel.example.com/;reboot",
        "https://panel.example.com/`id`",
        "https://panel.example.com/$(id)",
        "https://panel.example.com/'x",
        "https://panel.example.com/\nx",
        "panel.example.com",
      ],
    ],
    ["--panel-pin", ["md5//abc", "sha256//a'b", "sha256//$(id)", "sha256//a b"]],
    ["--version", ["1.2.3;id", "../1.2.3", "1.2.3/x", "", "1.2.3 x", "`id`"]],
    ["--token", ["a;b", "$(id)", "a'b", "a\nb", "../../x", "a b"]],
  ];
  for (const [flag, values] of hostile)
    it(`refuses hostile ${flag} values, naming it, writing nothing`, async () => {
      for (const value of values) {
        const r = await refused(flag, value);
        expect([r.code, r.stderr]).toEqual([1, expect.stringContaining(flag)]);
        expect(r.written).toEqual([]);
      }
    });

  it("refuses an unknown option and a missing value", async () => {
    const unknown = await run("sh", [script, "--tokn", "x"]).catch((e) => e);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining("--tokn")]);
    const missing = await run("sh", [script, "--token"]).catch((e) => e);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining("--token")]);
  });
});
