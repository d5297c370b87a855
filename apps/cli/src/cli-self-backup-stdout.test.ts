// `steward backup export --out - --meta FILE`: the artifact on standard output (redirected into
// a file, as `> FILE` does), the sidecar in --meta; `steward backup import` of that file (the
// sidecar beside it) restores a data directory that opens with the same user. A terminal as
// standard output, a missing or existing --meta and hostile --meta values are refused naming
// the flag, writing nothing.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  cliFor,
  cliMain,
  PASSWORD,
  removeDataDirs,
  runNode,
  tempDataDir,
  type UserJson,
} from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward backup export --out -", () => {
  it("writes the artifact to standard output and the sidecar to --meta; the pair imports", async () => {
    const c = cliFor();
    const user = await c.json<{ id: string }>(
      ["user", "create", "--email", "admin@example.com", "--super"],
      { input: PASSWORD },
    );
    const keys = tempDataDir("steward-keys-");
    const identity = join(keys, "id.key");
    const { publicKey } = await c.json<{ publicKey: string }>([
      "backup",
      "keygen",
      "--out",
      identity,
    ]);
    const out = tempDataDir("steward-piped-");
    const artifact = join(out, "piped.stwbak");
    const meta = `${artifact}.meta.json`;
    const exportArgs = (...rest: string[]) => [
      "backup",
      "export",
      "--recipient",
      publicKey,
      "--out",
      "-",
      ...rest,
    ];

    // refused before anything is written: no --meta, --meta without -, hostile --meta
    expect(await c.fails(exportArgs(), 2)).toMatch(/^steward: --meta: is required with --out -/);
    expect(
      await c.fails(
        ["backup", "export", "--recipient", publicKey, "--out", artifact, "--meta", meta],
        2,
      ),
    ).toMatch(/^steward: --meta: only with --out -/);
    for (const bad of ["../m.json", "a/./m.json", "m\n.json", "x/../m", "m\u0007.json"])
      expect(await c.fails(exportArgs("--meta", bad), 2)).toContain("--meta");
    expect(readdirSync(out)).toEqual([]);

    // a terminal as standard output: refused (script(1) gives the command a pseudo-terminal)
    const tty = await runNode(
      "script",
      c.dataDir,
      [
        "-qec",
        'exec "$TTY_NODE" "$TTY_CLI" backup export --recipient "$TTY_KEY" --out - --meta "$TTY_META"',
        "/dev/null",
      ],
      {
        env: {
          STEWARD_DATA_DIR: c.dataDir,
          TTY_NODE: process.execPath,
          TTY_CLI: cliMain,
          TTY_KEY: publicKey,
          TTY_META: meta,
        },
        timeoutMs: 60_000,
      },
    );
    expect(tty.code, tty.stdout).toBe(2);
    expect(tty.stdout).toContain(
      "steward: --out -: standard output is a terminal; redirect it to a file or a pipe",
    );
    expect(readdirSync(out)).toEqual([]);

    const piped = await c.run(exportArgs("--meta", meta), { stdoutFile: artifact });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toMatch(
      /^exported .* to standard output \(\d+ bytes, SHA-256 [0-9a-f]{64}\)\n/,
    );
    const bytes = readFileSync(artifact);
    expect(bytes.subarray(0, 8).toString()).toBe("STWBAK1\n");
    const sidecar = JSON.parse(readFileSync(meta, "utf8"));
    expect(sidecar).toMatchObject({
      source: { kind: "steward", nodeId: null },
      encryption: { recipients: [publicKey] },
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    expect(await c.auditActions("steward.export")).toEqual(["steward.export"]);

    // an existing --meta is never replaced
    const before = readFileSync(meta, "utf8");
    const again = join(out, "again.stwbak");
    expect(await c.fails(exportArgs("--meta", meta), 2, { stdoutFile: again })).toMatch(
      /^steward: --meta: .* exists \(never replaced\)/,
    );
    expect(readFileSync(meta, "utf8")).toBe(before);
    expect(readFileSync(again).length).toBe(0);

    const fresh = cliFor();
    await fresh.json([
      "backup",
      "import",
      artifact,
      "--identity",
      identity,
      "--data-dir",
      fresh.dataDir,
    ]);
    expect(existsSync(join(fresh.dataDir, "steward.db"))).toBe(true);
    expect(readFileSync(join(fresh.dataDir, "master.key"), "utf8")).toBe(
      readFileSync(join(c.dataDir, "master.key"), "utf8"),
    );
    const users = await fresh.json<{ items: UserJson[] }>(["user", "list"]);
    expect(users.items.map((u) => u.id)).toEqual([user.id]);
  }, 180_000);
});
