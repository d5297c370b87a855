// The state directory as `steward state` reads it: every hostile file is refused naming the
// file and the field before anything reaches a panel (the panel's refusals: cli-state.test.ts).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostileAppFiles } from "../testing/state-hostile-apps.ts";
import { hostileBackupPlanFiles } from "../testing/state-hostile-backup-plans.ts";
import { hostileBackupFiles } from "../testing/state-hostile-backups.ts";
import { hostileDatabaseFiles } from "../testing/state-hostile-databases.ts";
import { hostileFiles } from "../testing/state-hostile-files.ts";
import { hostileCrontabFiles, hostileHostingFiles } from "../testing/state-hostile-hosting.ts";
import { hostileRuleFiles } from "../testing/state-hostile-rules.ts";
import { readSecrets, readState, StateRefused, writeState } from "./files.ts";

const root = mkdtempSync(join(tmpdir(), "steward-state-files-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A state directory holding these files. */
function dirWith(files: Record<string, string>): string {
  const dir = join(root, String(n++));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const refusal = (dir: string) => {
  try {
    readState(dir);
  } catch (e) {
    if (e instanceof StateRefused) return e.message;
    throw e;
  }
  throw new Error("not refused");
};

describe("reading a state directory", () => {
  it.each([
    ...hostileFiles,
    ...hostileRuleFiles,
    ...hostileBackupFiles,
    ...hostileDatabaseFiles,
    ...hostileBackupPlanFiles,
    ...hostileHostingFiles,
    ...hostileCrontabFiles,
    ...hostileAppFiles,
  ])("refuses %s", (file, text, expected) => {
    expect(refusal(dirWith({ [file]: text }))).toContain(expected);
  });

  it("refuses a link instead of a file", () => {
    const dir = dirWith({ "account/shop.yaml": "slug: shop\nname: Shop\n" });
    symlinkSync("/etc/passwd", join(dir, "account/passwd.yaml"));
    expect(refusal(dir)).toBe("account/passwd.yaml: file: must be a regular file");
  });

  it("reads back what it writes, and leaves other files alone", () => {
    const dir = dirWith({
      "README.md": "ours\n",
      ".git/HEAD": "x\n",
      "site/gone.example.yaml": "x",
    });
    const files = readState(dirWith({}));
    files.account.set("shop", { slug: "shop", name: "Shop" });
    writeState(dir, { account: files.account, site: new Map() });
    const back = readState(dir);
    expect([...back.account]).toEqual([["shop", { slug: "shop", name: "Shop" }]]);
    expect(back.site.size).toBe(0);
  });

  it("reads a secrets file with the same guards, naming --secrets", () => {
    const dir = dirWith({
      "ok.yaml": '"mailbox/info@shop.example": a long password\n',
      "bomb.yaml": "a: &a x\nb: *a\n",
      "list.yaml": "- x\n",
      "empty.yaml": "x: ''\n",
    });
    expect([...readSecrets(join(dir, "ok.yaml"))]).toEqual([
      ["mailbox/info@shop.example", "a long password"],
    ]);
    const refusedBy = (file: string) => {
      try {
        readSecrets(join(dir, file));
      } catch (e) {
        if (e instanceof StateRefused) return e.message;
      }
      throw new Error("not refused");
    };
    expect(refusedBy("bomb.yaml")).toBe("--secrets: file: must not use anchors or aliases");
    expect(refusedBy("list.yaml")).toMatch(/^--secrets: file: /);
    expect(refusedBy("empty.yaml")).toBe("--secrets: x: must not be empty");
    expect(refusedBy("missing.yaml")).toMatch(/^--secrets: file: cannot read .* \(ENOENT\)$/);
  });
});
