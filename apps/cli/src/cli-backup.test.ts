// The real `steward` CLI as a child process: backup destinations. A node's directory is kept
// with --save-anyway (the panel does not ask agents to test yet); refused input names the
// option (or the variable holding the secret), and writes nothing.
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface DestinationJson {
  id: string;
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  lastTest: { ok: boolean; step: string | null; message: string | null } | null;
}

describe("steward backup destination", () => {
  it("adds a node's directory, lists, shows, tests and removes it; refuses bad input naming the option", async () => {
    const c = cliFor();
    const node = "nod_00000000000000000000000001";
    const add = [
      "backup",
      "destination",
      "add",
      "--name",
      "disk",
      "--kind",
      "local",
      "--node",
      node,
    ];
    const made = await c.json<DestinationJson>([
      ...add,
      "--path",
      "/var/backups/steward",
      "--save-anyway",
    ]);
    expect(made).toMatchObject({
      name: "disk",
      kind: "local",
      settings: { nodeId: node, path: "/var/backups/steward" },
      lastTest: { ok: false, step: "untested" },
    });
    const [list, shown, human] = await Promise.all([
      c.json<Page<DestinationJson>>(["backup", "destination", "list", "--sort", "name"]),
      c.json<DestinationJson>(["backup", "destination", "show", made.id]),
      c.ok(["backup", "destination", "test", made.id]),
    ]);
    expect(list.items.map((d) => d.id)).toEqual([made.id]);
    expect(shown.id).toBe(made.id);
    expect(human).toContain("its agent");

    const before = await c.snapshot([["backup", "destination", "list"]]);
    expect(await c.fails([...add, "--path", "/var/../etc"], 2)).toContain("--path");
    expect(
      await c.fails(["backup", "destination", "add", "--name", "x", "--kind", "dropbox"], 2),
    ).toContain("--kind");
    const s3 = [
      "backup",
      "destination",
      "add",
      "--name",
      "b",
      "--kind",
      "s3",
      "--endpoint",
      "https://s3.example.com",
    ];
    expect(
      await c.fails([...s3, "--bucket", "Bad_Bucket", "--access-key-id", "k"], 2, {
        env: { STEWARD_BACKUP_SECRET: "s" },
      }),
    ).toContain("--bucket");
    expect(await c.fails([...s3, "--bucket", "backups", "--access-key-id", "k"], 2)).toContain(
      "STEWARD_BACKUP_SECRET",
    );
    expect(await c.fails(["backup", "destination", "show", "a b"], 2)).toContain("<id>");
    expect(await c.snapshot([["backup", "destination", "list"]])).toEqual(before);

    expect(await c.json(["backup", "destination", "remove", made.id, "--yes"])).toEqual({
      removed: made.id,
    });
    expect((await c.auditActions("backup-destination.*")).sort()).toEqual([
      "backup-destination.create",
      "backup-destination.delete",
      "backup-destination.test",
    ]);
  }, 240_000);
});
