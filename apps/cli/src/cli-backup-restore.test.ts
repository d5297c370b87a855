// The real `steward` CLI as a child process: artifact restore, verify and download, plan edit
// and recovery kit refuse bad input naming the option (exit 2) before anything runs, and what
// is not there is refused by the panel (exit 1). The restores themselves run through the API
// with real agents (apps/server/src/modules/backups/artifacts-*.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "stw-cli-restore-"));
afterAll(() => {
  removeDataDirs();
  rmSync(dir, { recursive: true, force: true });
});

describe("steward backup artifact restore|verify|download, plan edit|recovery-kit", () => {
  it("refuses bad input naming the option, and what is not there", async () => {
    const c = cliFor();
    const restore = ["backup", "artifact", "restore", "bka_nothere"];
    expect(await c.fails([...restore, "--path", "/srv/../etc"], 2)).toContain("--path");
    expect(await c.fails([...restore, "--path", "relative/dir"], 2)).toContain("--path");
    expect(await c.fails([...restore, "--database", "x".repeat(201)], 2)).toContain("--database");
    expect(await c.fails([...restore, "--server", "a;b"], 2)).toContain("--server");
    expect(await c.fails([...restore, "--path", "/srv/www", "--node", "a b"], 2)).toContain(
      "--node",
    );
    expect(await c.fails(["backup", "artifact", "restore", "a b"], 2)).toContain("<id>");
    expect(await c.fails([...restore, "--source", "a;b"], 2)).toContain("--source");
    expect(await c.fails([...restore, "--drop", "--database", "a.b"], 2)).toContain("--database");
    expect(await c.fails([...restore, "--path", "/srv/x", "--source", "bks_1"], 2)).toContain(
      "--path",
    );
    const badKey = join(dir, "restore-bad.key");
    writeFileSync(badKey, "not a key; rm -rf /\n");
    expect(await c.fails([...restore, "--identity", badKey], 2)).toContain("--identity");
    expect(await c.fails([...restore, "--identity", join(dir, "none")], 2)).toContain("--identity");
    const verifyArgs = ["backup", "artifact", "verify", "bka_nothere", "--identity", badKey];
    expect(await c.fails(verifyArgs, 2)).toContain("--identity");
    expect(await c.fails(restore, 1)).toContain("not found");
    expect(await c.fails(["backup", "artifact", "verify", "bka_nothere"], 1)).toContain(
      "not found",
    );
    const download = ["backup", "artifact", "download", "bka_nothere", "--out"];
    const key = join(dir, "bad.key");
    writeFileSync(key, "not a key; rm -rf /\n");
    expect(await c.fails([...download, join(dir, "a"), "--identity", key], 2)).toContain(
      "--identity",
    );
    expect(
      await c.fails([...download, join(dir, "a"), "--identity", join(dir, "missing")], 2),
    ).toContain("--identity");
    expect(await c.fails([...download, join(dir, "a")], 1)).toContain("not found");

    const edit = ["backup", "plan", "edit", "bkp_nothere"];
    expect(await c.fails([...edit, "--schedule", "a\nb"], 2)).toContain("--schedule");
    expect(await c.fails([...edit, "--time-zone", "../etc/passwd"], 2)).toContain("--time-zone");
    expect(await c.fails([...edit, "--level", "23"], 2)).toContain("--level");
    expect(await c.fails([...edit, "--name", "a\nb"], 2)).toContain("--name");
    expect(await c.fails([...edit, "--verify-schedule", "a\nb"], 2)).toContain("--verify-schedule");
    expect(await c.fails([...edit, "--enable", "--disable"], 2)).toContain("--enable");
    expect(await c.fails([...edit, "--name", "ok"], 1)).toContain("not found");
    const kit = ["backup", "plan", "recovery-kit", "bkp_nothere", "--out", join(dir, "kit")];
    expect(await c.fails([...kit, "--again", "--reason", "a\nb"], 2)).toContain("--reason");
    expect(await c.fails(kit, 1)).toContain("not found");
  }, 240_000);
});
