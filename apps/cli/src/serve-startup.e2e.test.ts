// A real `steward serve` refuses to start on data it cannot use, with one line saying what and
// where: a lost master.key while the database holds sealed secrets (never replaced by a new
// key), a database file that is not a database, one it cannot read.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, removeDataDirs, runCli, tempDataDir } from "./testing/cli.ts";

afterAll(removeDataDirs);

const serve = async (dataDir: string) =>
  runCli(dataDir, ["serve", "--port", String(await freePort())], { timeoutMs: 30_000 });

/** `steward serve` as the user nobody (tests run as root, who reads any file). */
const serveAsNobody = async (dataDir: string): Promise<CliResult> =>
  runCli(dataDir, ["serve", "--port", String(await freePort())], {
    timeoutMs: 30_000,
    uid: 65534,
    // nobody cannot write the test runner's compile cache
    env: { NODE_COMPILE_CACHE: undefined },
  });

describe("serve refuses data it cannot use", () => {
  it("a lost master.key: exits 1 naming the file to restore, and makes no new key", async () => {
    const dataDir = tempDataDir();
    // the first command makes the key and seals the key check value with it
    expect((await runCli(dataDir, ["user", "list"])).code).toBe(0);
    const keyFile = join(dataDir, "master.key");
    expect(existsSync(keyFile)).toBe(true);
    rmSync(keyFile);
    const r = await serve(dataDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`steward: the master key ${keyFile} is missing, but the database`);
    expect(r.stderr).toContain(`restore ${keyFile} from the backup`);
    expect(existsSync(keyFile)).toBe(false);
  });

  it("a file that is not a database: exits 1 naming the path", async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, "steward.db");
    writeFileSync(file, "this is not a database, only some text that is long enough ".repeat(40));
    const r = await serve(dataDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `steward: cannot open the SQLite database ${file}: file is not a database`,
    );
    expect(r.stderr).toContain("restore it");
  });

  it("a directory where the database file should be: exits 1 naming the path", async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, "steward.db");
    mkdirSync(file);
    const r = await serve(dataDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`steward: cannot open the SQLite database ${file}:`);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "a database its user cannot read: exits 1 naming the path",
    async () => {
      const dataDir = tempDataDir();
      expect((await runCli(dataDir, ["user", "list"])).code).toBe(0);
      // the data directory is open to nobody, the database (root's, mode 0600) is not
      chmodSync(dataDir, 0o755);
      chmodSync(join(dataDir, "master.key"), 0o644);
      const r = await serveAsNobody(dataDir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `steward: cannot open the SQLite database ${join(dataDir, "steward.db")}: unable to open`,
      );
    },
  );
});
