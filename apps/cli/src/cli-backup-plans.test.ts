// The real `steward` CLI as a child process: backup sources, plans, runs and artifacts. Every
// refused value names its option (exit 2) before anything runs, a plan naming a source that
// is not there is refused by the panel (exit 1), and nothing is written either way. The runs
// themselves (run now, progress, partial) are tested through the API with a real agent
// (apps/server/src/modules/backups/plans-api.test.ts).
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward backup source|plan|run|artifact", () => {
  it("lists, and refuses bad input naming the option without writing anything", async () => {
    const c = cliFor();
    const account = (
      await c.json<{ id: string }>(["account", "create", "--slug", "shop", "--name", "Shop"])
    ).id;
    const lists = [
      ["backup", "source", "list"],
      ["backup", "plan", "list"],
      ["backup", "run", "list"],
      ["backup", "artifact", "list"],
    ];
    const before = await c.snapshot(lists);
    for (const page of before) expect((page as Page<unknown>).items).toEqual([]);
    const source = ["backup", "source", "add", "--name", "www", "--account", account];
    const files = [...source, "--kind", "files", "--node", "nod_00000000000000000000000001"];
    expect(await c.fails([...files, "--path", "/srv/../etc"], 2)).toContain("--path");
    expect(await c.fails([...files, "--path", "/srv/www", "--exclude", "/etc/**"], 2)).toContain(
      "--exclude",
    );
    expect(await c.fails([...source, "--kind", "nfs"], 2)).toContain("--kind");
    expect(
      await c.fails([...source, "--kind", "mongodb", "--node", "nod_1"], 2, {
        env: { STEWARD_BACKUP_SECRET: "http://not-mongo" },
      }),
    ).toContain("STEWARD_BACKUP_SECRET");
    const plan = [
      "backup",
      "plan",
      "add",
      "--name",
      "nightly",
      "--account",
      account,
      "--sources",
      "bks_nothere",
      "--destinations",
      "bkd_nothere",
    ];
    expect(await c.fails([...plan, "--schedule", "a\nb"], 2)).toContain("--schedule");
    expect(await c.fails([...plan, "--time-zone", "../etc/passwd"], 2)).toContain("--time-zone");
    expect(await c.fails([...plan, "--level", "23"], 2)).toContain("--level");
    expect(await c.fails([...plan, "--keep-last", "0"], 2)).toContain("--keep-last");
    expect(await c.fails([...plan, "--encrypt", "recipients", "--recipient", "x"], 2)).toContain(
      "--recipient",
    );
    expect(await c.fails([...plan, "--sources", "a;b"], 2)).toContain("--sources");
    // refused by the panel's own checks, still named by their option
    expect(await c.fails([...plan, "--schedule", "61 * * * *"], 2)).toContain("--schedule");
    expect(await c.fails([...plan, "--time-zone", "Mars/Olympus"], 2)).toContain("--time-zone");
    // the shape is right, the source is not in the account: the panel refuses it
    expect(await c.fails(plan, 2)).toContain("--sources");
    expect(await c.fails(["backup", "plan", "run", "a b"], 2)).toContain("<id>");
    expect(await c.fails(["backup", "plan", "run", "bkp_nothere"], 1)).toContain("not found");
    expect(await c.fails(["backup", "run", "list", "--status", "done"], 2)).toContain("--status");
    expect(await c.fails(["backup", "artifact", "list", "--from", "yesterday"], 2)).toContain(
      "--from",
    );
    expect(await c.snapshot(lists)).toEqual(before);
  }, 240_000);
});
