// The real `steward` CLI as a child process: the storage explorer on an S3 destination on
// s3rver. An artifact with its sidecar written as another panel would (unknown here) and an
// object put by hand are listed (--unknown); the artifact is imported from its sidecar, then
// deleted (--yes, and --force as the only good copy): object and sidecar gone. Hostile names,
// statuses and sizes are refused naming the option (exit 2) with nothing changed.
import { Readable } from "node:stream";
import { openDestination, runBackup } from "@steward/agent/backups";
import { destinationSettings } from "@steward/contracts/backups";
import { type S3Server, startS3rver } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
  removeDataDirs();
});

interface ObjectJson {
  name: string;
  status: string;
  artifact: { id: string } | null;
  problem: string | null;
}

describe("steward backup destination objects|import, backup artifact delete", () => {
  it("lists, imports and deletes; refuses hostile input naming the option", async () => {
    const c = cliFor(undefined, { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" });
    const account = (
      await c.json<{ id: string }>(["account", "create", "--slug", "shop", "--name", "Shop"])
    ).id;
    const settings = destinationSettings.parse({
      kind: "s3",
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      prefix: "cli",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    const destination = (
      await c.json<{ id: string }>(
        [
          "backup",
          "destination",
          "add",
          "--name",
          "bucket",
          "--kind",
          "s3",
          "--account",
          account,
          "--endpoint",
          s3.endpoint,
          "--bucket",
          s3.bucket,
          "--prefix",
          "cli",
          "--access-key-id",
          s3.accessKeyId,
        ],
        { env: { STEWARD_BACKUP_SECRET: s3.secretAccessKey } },
      )
    ).id;
    const target = openDestination(settings);
    const made = await runBackup({
      source: Readable.from([Buffer.from("a site from another panel")]),
      sourceInfo: { kind: "files", nodeId: null, description: "/srv/www", producer: null },
      name: "www-1.tar.zst",
      compressionLevel: 1,
      recipients: [],
      destinations: [{ id: "bucket", destination: target }],
    });
    expect(made.status).toBe("succeeded");
    await target.put(Readable.from([Buffer.from("by hand")]), "notes.txt");

    const human = await c.ok(["backup", "destination", "objects", destination, "--unknown"]);
    expect(human).toMatch(/^NAME\s+STATUS\s+BYTES/);
    expect(human).toMatch(/notes\.txt\s+unknown .*no sidecar/);
    expect(human).toMatch(/www-1\.tar\.zst\s+unknown/);

    const objects = ["backup", "destination", "objects", destination];
    const lists = [objects, ["backup", "artifact", "list"]];
    const before = await c.snapshot(lists);
    const imp = ["backup", "destination", "import", destination];
    const hostile = [
      [[...imp, "--name", "../x"], "--name"],
      [[...imp, "--name", "a\nb"], "--name"],
      [[...imp, "--name", "x".repeat(300)], "--name"],
      [[...imp, "--name", "'; drop table backup_artifacts;--"], "--name"],
      [[...imp, "--name", "www-1.tar.zst", "--plan", "`x`"], "--plan"],
      [[...objects, "--status", "gone"], "--status"],
      [[...objects, "--unknown", "--status", "known"], "--unknown"],
      [[...objects, "--min-bytes", "-1"], "--min-bytes"],
      [[...objects, "--from", "yesterday"], "--from"],
      [["backup", "destination", "objects", "../bkd"], "<id>"],
      [["backup", "artifact", "delete", "bka_1;rm"], "<id>"],
    ] as const;
    // refused before any service opens: side by side
    const said = await Promise.all(hostile.map(([args]) => c.fails([...args], 2)));
    for (const [i, [args, option]] of hostile.entries())
      expect(said[i], args.join(" ")).toContain(option);
    // a sidecar-less object is refused by the panel, named
    expect(await c.fails([...imp, "--name", "notes.txt"], 1)).toContain("notes.txt");
    expect(await c.snapshot(lists)).toEqual(before);

    const imported = await c.json<{ imported: { id: string; name: string }[] }>([
      ...imp,
      "--name",
      "www-1.tar.zst",
    ]);
    expect(imported.imported.map((a) => a.name)).toEqual(["www-1.tar.zst"]);
    const id = imported.imported[0]?.id as string;
    const listed = await c.json<Page<ObjectJson>>([...objects, "--status", "known"]);
    expect(listed.items.map((o) => [o.name, o.artifact?.id])).toEqual([["www-1.tar.zst", id]]);

    expect(await c.fails(["backup", "artifact", "delete", id], 2)).toContain("--yes");
    expect(await c.fails(["backup", "artifact", "delete", id, "--yes"], 1)).toContain(
      "only good copy",
    );
    expect(await c.ok(["backup", "artifact", "delete", id, "--yes", "--force"])).toContain(id);
    expect((await target.list()).map((o) => o.name)).toEqual(["notes.txt"]);
    await target.close();
  }, 120_000);
});
