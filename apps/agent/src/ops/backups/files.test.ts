// A site's files backed up through the whole pipeline (tar → zstd → encryption → a directory)
// and restored byte for byte to another path and to the same one: odd names, modes, empty
// files and directories, links inside the root kept, links leaving it refused, excludes.
import { createHash } from "node:crypto";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { destinationSettings } from "@steward/contracts/backups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fileSource,
  filesSink,
  generateRecipient,
  openDestination,
  restoreArtifact,
  runBackup,
} from "./index.ts";

let dir: string;
let site: string;
const recipient = generateRecipient();
const LONG = `${"very-long-name-".repeat(14)}end.txt`;

/** Every entry under `root`: type, mode, content hash or link target, sorted by path. */
function describeTree(root: string): string[] {
  const lines: string[] = [];
  const visit = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stats = lstatSync(full);
      const rel = JSON.stringify(relative(root, full));
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) lines.push(`link ${rel} -> ${readlinkSync(full)}`);
      else if (stats.isDirectory()) {
        lines.push(`dir ${rel} ${mode}`);
        visit(full);
      } else
        lines.push(
          `file ${rel} ${mode} ${stats.size} ${Math.floor(stats.mtimeMs / 1000)} ${createHash("sha256").update(readFileSync(full)).digest("hex")}`,
        );
    }
  };
  visit(root);
  return lines;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stw-files-"));
  site = join(dir, "site");
  const files: Record<string, string | Buffer> = {
    "index.php": "<?php echo 'hello';\n",
    "with space.txt": "a file with a space",
    "new\nline.txt": "a newline in its name",
    "ünïcödé ✓.md": "unicode",
    "-leading-dash": "looks like an option",
    "quote'\"and$dollar": "shell characters",
    empty: "",
    [`deep/er/and/deeper/${LONG}`]: "a path over 100 characters",
    "wp-content/uploads/photo.bin": Buffer.alloc(300_000, 7),
    "cache/page.html": "excluded by cache/**",
    "debug.log": "excluded by *.log",
    "deep/error.log": "excluded by *.log",
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(site, name, ".."), { recursive: true });
    writeFileSync(join(site, name), content);
  }
  chmodSync(join(site, "index.php"), 0o640);
  mkdirSync(join(site, "empty-dir"));
  symlinkSync("wp-content/uploads/photo.bin", join(site, "inside-link"));
  symlinkSync("../..", join(site, "deep/er/up-but-inside"));
  symlinkSync("/etc/passwd", join(site, "absolute-outside"));
  symlinkSync("../../etc/shadow", join(site, "relative-outside"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a file source", () => {
  it("restores byte for byte elsewhere and in place, without the excluded files and outside links", async () => {
    const destination = openDestination(
      destinationSettings.parse({ kind: "local", nodeId: "n1", path: join(dir, "store") }),
    );
    const source = fileSource({ root: site, excludes: ["cache/**", "cache", "*.log", "**/*.log"] });
    const result = await runBackup({
      source: source.stream,
      sourceInfo: { kind: "files", nodeId: "n1", description: site, producer: "GNU tar" },
      name: "site.tar.zst.enc",
      compressionLevel: 3,
      recipients: [recipient.publicKey],
      destinations: [{ id: "store", destination }],
    });
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
    expect(source.refused.sort()).toEqual(["absolute-outside", "relative-outside"]);
    const expected = describeTree(site).filter(
      (line) =>
        !/"(cache|debug\.log|deep\/error\.log|absolute-outside|relative-outside)/.test(line),
    );
    expect(expected.some((line) => line.includes(LONG))).toBe(true);
    expect(expected.some((line) => line.startsWith('link "inside-link"'))).toBe(true);

    const elsewhere = join(dir, "restored");
    await restoreArtifact({
      destination,
      name: "site.tar.zst.enc",
      privateKey: recipient.privateKey,
      sink: filesSink(elsewhere),
    });
    expect(describeTree(elsewhere)).toEqual(expected);

    rmSync(join(site, "wp-content"), { recursive: true });
    writeFileSync(join(site, "index.php"), "changed since the backup");
    await restoreArtifact({
      destination,
      name: "site.tar.zst.enc",
      privateKey: recipient.privateKey,
      sink: filesSink(site),
    });
    expect(describeTree(site).filter((line) => expected.includes(line))).toEqual(expected);
  });

  it("fails the run when the path cannot be read", async () => {
    const destination = openDestination(
      destinationSettings.parse({ kind: "local", nodeId: "n1", path: join(dir, "store2") }),
    );
    const result = await runBackup({
      source: fileSource({ root: join(dir, "no-such-dir") }).stream,
      sourceInfo: { kind: "files", nodeId: "n1", description: "missing", producer: null },
      name: "missing.tar.zst",
      compressionLevel: 1,
      recipients: [],
      destinations: [{ id: "store", destination }],
    });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/ENOENT|tar/);
    expect(await destination.list()).toEqual([]);
  });
});
