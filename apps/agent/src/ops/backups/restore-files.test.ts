// `backup.restore` for files: a dry run lists which paths a restore would create and which it
// would overwrite (odd names included), changes nothing; the restore puts the tree back in its
// place or in another path. Hostile inputs are refused by the contract, naming the field.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpResult } from "@steward/contracts/agent";
import { backupRestoreInput, destinationSettings } from "@steward/contracts/backups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { backupRestore } from "./handlers.ts";
import { fileSource, openDestination, runBackup } from "./index.ts";
import { unquoteC } from "./restore-files.ts";

let dir: string;
let site: string;
let config: AgentConfig;
const ODD = 'say "hi"\nnewline \\ é.txt';
const destination = () => ({ kind: "local" as const, nodeId: "n1", path: join(dir, "store") });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stw-restore-files-"));
  site = join(dir, "site");
  mkdirSync(join(site, "sub"), { recursive: true });
  writeFileSync(join(site, "index.html"), "<h1>hello</h1>");
  writeFileSync(join(site, "sub", "a.txt"), "a");
  writeFileSync(join(site, ODD), "odd");
  config = parseConfig(dir, { nodeId: "n1", panelUrl: "http://127.0.0.1:1", systemd: false });
  const source = fileSource({ root: site });
  const result = await runBackup({
    source: source.stream,
    sourceInfo: { kind: "files", nodeId: "n1", description: site, producer: "tar" },
    name: "site.tar",
    compressionLevel: 3,
    recipients: [],
    destinations: [
      { id: "d", destination: openDestination(destinationSettings.parse(destination())) },
    ],
  });
  expect(result.status).toBe("succeeded");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const restore = (target: Record<string, unknown>, dryRun = false) =>
  runOperation(
    backupRestore,
    backupRestoreInput.parse({ destination: destination(), artifact: "site.tar", target, dryRun }),
    { config, requestId: "req-files" },
  );
const output = <T>(result: OpResult) => {
  expect(result.error).toBeUndefined();
  return result.output as T;
};

describe("backup.restore of files", () => {
  it("reads tar's C-quoted names back to their bytes", () => {
    expect(unquoteC('"say \\"hi\\"\\nnewline \\\\ \\303\\251.txt"')).toBe(ODD);
  });

  it("dry run in place: what would be created and overwritten, nothing changed", async () => {
    rmSync(join(site, "sub", "a.txt"));
    writeFileSync(join(site, "index.html"), "changed");
    const plan = output<{
      existed: boolean;
      created: string[];
      replaced: string[];
      counts: object;
    }>(await restore({ kind: "files", path: null }, true));
    expect(plan.existed).toBe(true);
    expect(plan.created).toEqual(["sub/a.txt"]);
    expect(plan.replaced.sort()).toEqual(["index.html", ODD].sort());
    expect(plan.counts).toEqual({ created: 1, replaced: 2 });
    expect(existsSync(join(site, "sub", "a.txt"))).toBe(false);
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe("changed");
  });

  it("restores in place and into another path", async () => {
    output(await restore({ kind: "files", path: null }));
    expect(readFileSync(join(site, "sub", "a.txt"), "utf8")).toBe("a");
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe("<h1>hello</h1>");
    const other = join(dir, "elsewhere");
    const plan = output<{ existed: boolean; created: string[] }>(
      await restore({ kind: "files", path: other }, true),
    );
    expect(plan.existed).toBe(false);
    expect(plan.created.sort()).toEqual(["index.html", ODD, "sub", "sub/a.txt"].sort());
    output(await restore({ kind: "files", path: other }));
    expect(readFileSync(join(other, ODD), "utf8")).toBe("odd");
  });

  it("refuses a files artifact into a database and hostile inputs, naming the field", async () => {
    const wrong = await restore({
      kind: "database",
      engine: "postgres",
      server: { kind: "local" },
      database: "shop",
    });
    expect(wrong.status).toBe("failed");
    expect(wrong.error?.message).toMatch(/^target: the artifact is files, not a postgres one/);
    const cases: [Record<string, unknown>, string][] = [
      [{ artifact: "../site.tar" }, "artifact"],
      [{ artifact: "site.tar;rm" }, "artifact"],
      [{ target: { kind: "files", path: "relative/dir" } }, "target.path"],
      [{ target: { kind: "files", path: "/srv/../etc" } }, "target.path"],
      [{ target: { kind: "files", path: "/srv/a\nb" } }, "target.path"],
      [{ privateKey: "not base64!" }, "privateKey"],
      [
        {
          target: {
            kind: "database",
            engine: "mariadb",
            server: { kind: "local" },
            database: "a`b",
          },
        },
        "target.database",
      ],
    ];
    for (const [change, field] of cases) {
      const parsed = backupRestoreInput.safeParse({
        destination: destination(),
        artifact: "site.tar",
        target: { kind: "files", path: null },
        ...change,
      });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path.join(".")).toBe(field);
    }
  });
});
