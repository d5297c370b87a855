// The real `steward` CLI as a child process: status pages and their incidents. No panel runs
// here: these tests are about what the CLI accepts, writes and prints, and what it refuses
// (naming the option, changing nothing).
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface PageJson {
  id: string;
  slug: string;
  title: string;
  publicPath: string;
  monitors: { monitorId: string; name: string }[];
}
interface IncidentJson {
  id: string;
  title: string;
  body: string;
  severity: string;
  resolvedAt: string | null;
}

describe("steward status-page", () => {
  it("adds, lists, updates and removes pages; adds, updates and resolves incidents", async () => {
    const c = cliFor();
    const monitor = async (name: string) =>
      (
        await c.json<{ id: string }>([
          ...["monitor", "add", "--name", name, "--url", "https://example.com/", "--paused"],
        ])
      ).id;
    const shop = await monitor("shop-frontend");
    const api = await monitor("api");
    const page = await c.json<PageJson>([
      ...["status-page", "add", "--slug", "shop", "--title", "Shop status"],
      ...["--monitor", `${shop}=Web shop`, "--monitor", api],
    ]);
    expect(page).toMatchObject({
      slug: "shop",
      title: "Shop status",
      publicPath: "/status/shop",
      monitors: [
        { monitorId: shop, name: "Web shop" },
        { monitorId: api, name: "api" },
      ],
    });
    const list = await c.json<Page<PageJson>>(["status-page", "list"]);
    expect(list.items.map((p) => p.id)).toEqual([page.id]);
    const updated = await c.json<PageJson>([
      ...["status-page", "update", "shop", "--title", "Shop", "--monitor", api],
    ]);
    expect(updated).toMatchObject({ title: "Shop", monitors: [{ monitorId: api }] });
    expect(
      (await c.json<PageJson>(["status-page", "update", page.id, "--no-monitors"])).monitors,
    ).toEqual([]);

    const incident = await c.json<IncidentJson>([
      ...["status-page", "incident", "add", "shop", "--title", "Slow checkout"],
      ...["--body", "We are **on it**.", "--severity", "major"],
    ]);
    expect(incident).toMatchObject({ severity: "major", resolvedAt: null });
    const changed = await c.json<IncidentJson>([
      ...["status-page", "incident", "update", page.id, incident.id, "--severity", "minor"],
    ]);
    expect(changed).toMatchObject({ severity: "minor", body: "We are **on it**." });
    const resolved = await c.json<IncidentJson>([
      ...["status-page", "incident", "resolve", page.id, incident.id],
    ]);
    expect(resolved.resolvedAt).not.toBeNull();
    const reopened = await c.json<IncidentJson>([
      ...["status-page", "incident", "update", page.id, incident.id, "--reopen"],
    ]);
    expect(reopened.resolvedAt).toBeNull();
    const incidents = await c.json<IncidentJson[]>(["status-page", "incident", "list", "shop"]);
    expect(incidents.map((i) => i.id)).toEqual([incident.id]);

    expect(await c.fails(["status-page", "remove", page.id], 2)).toContain("--yes");
    expect((await c.json<PageJson>(["status-page", "show", "shop"])).id).toBe(page.id);
    expect(await c.json(["status-page", "remove", "shop", "--yes"])).toEqual({ removed: "shop" });
    expect(await c.fails(["status-page", "show", page.id], 1)).toContain(page.id);
    expect(await c.auditActions("status_page.create")).toEqual(["status_page.create"]);
    // each command is a Node process: a walk-through of fifteen gets its time
  }, 240_000);

  it("refuses bad input naming the option, changing nothing", async () => {
    const c = cliFor();
    await c.json(["status-page", "add", "--slug", "taken", "--title", "Taken"]);
    const before = await c.snapshot([["status-page", "list"]]);
    const calls: [string[], 1 | 2, string][] = [
      [["status-page", "add", "--slug", "Bad Slug", "--title", "x"], 2, "--slug"],
      [["status-page", "add", "--slug", "api", "--title", "x"], 2, "--slug"],
      [["status-page", "add", "--slug", "ok", "--title", "x", "--monitor", "a b"], 2, "--monitor"],
      [
        ["status-page", "add", "--slug", "ok", "--title", "x", "--monitor", "mon_nope"],
        2,
        "--monitor",
      ],
      [["status-page", "add", "--slug", "taken", "--title", "x"], 1, "--slug"],
      [["status-page", "show", "a b"], 2, "<page>"],
      [["status-page", "show", "../taken"], 2, "<page>"],
      [["status-page", "show", "nowhere"], 1, "status page nowhere"],
      [
        ["status-page", "incident", "add", "stp_x", "--title", "t", "--severity", "huge"],
        2,
        "--severity",
      ],
    ];
    for (const [args, code, option] of calls) expect(await c.fails(args, code)).toContain(option);
    expect(await c.snapshot([["status-page", "list"]])).toEqual(before);
  }, 240_000);
});
