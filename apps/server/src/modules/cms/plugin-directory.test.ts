// Abandoned WordPress plugins: the real client of wordpress.org's plugins API (not reachable
// here) against a strict recording fake of `plugins/info/1.2/` (plugin_information, a 404 for a
// plugin the directory does not have, anything else a 400 recorded as unexpected). The
// `cms.plugin-directory` task run through the engine asks once per plugin folder across the
// fleet, caches each answer (a second run asks nothing), marks the fleet's rows, and
// `GET /cms-extensions?abandoned=true` shows a plugin with no release in 24 months, only to
// those who may read its site. The installation's allow list names 127.0.0.1 for the fake.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { CmsExtension } from "@steward/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCmsSites } from "../../testing/cms-fleet.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findTask } from "../tasks/repo.ts";
import { replaceSiteExtensions } from "./fleet-repo.ts";
import { parseLastUpdated } from "./plugin-directory.ts";

const seen: { url: string; userAgent: string | undefined }[] = [];
const unexpected: string[] = [];
const recent = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
const directory: Record<string, string> = {
  akismet: `${recent} 3:39pm GMT`,
  "old-plugin": "2019-03-02 9:05am GMT",
};
const fake = createServer((req: IncomingMessage, res) => {
  const url = new URL(req.url ?? "/", "http://fake");
  const slug = url.searchParams.get("request[slug]") ?? "";
  const strict =
    req.method === "GET" &&
    url.pathname === "/plugins/info/1.2/" &&
    url.searchParams.get("action") === "plugin_information" &&
    /^[a-z0-9-]+$/.test(slug);
  if (!strict) {
    unexpected.push(`${req.method} ${req.url}`);
    return res.writeHead(400).end("unexpected request");
  }
  seen.push({ url: req.url ?? "", userAgent: req.headers["user-agent"] });
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const last = directory[slug];
  if (last === undefined) return json(404, { error: "Plugin not found." });
  json(200, { name: slug, slug, version: "1.0", last_updated: last, sections: {} });
});
await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
const api = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/plugins/info/1.2/`;
afterAll(() => new Promise((r) => fake.close(r)));

const plugin = (slug: string): CmsExtension => ({
  type: "plugin",
  slug,
  name: slug,
  version: "1.0",
  active: true,
  update: null,
});
const info = (extensions: CmsExtension[]) => ({
  connector: "0.4.0",
  core: "6.1.1",
  php: "8.2",
  database: "",
  siteUrl: "",
  timezone: "UTC",
  coreUpdate: null,
  extensions,
});

describe("abandoned plugins from wordpress.org's directory (a recording fake)", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32", STEWARD_WORDPRESS_PLUGINS_API: api },
  });
  const w = useWorld(s);
  let taskId = "";

  beforeAll(async () => {
    s.svc.engine.startWorker();
    const [mine] = await seedCmsSites(s, w.a, [
      { url: "https://a.example", username: "admin", password: "abcdabcdabcdabcdabcdabcd" },
    ]);
    const [theirs] = await seedCmsSites(s, w.b, [
      { url: "https://b.example", username: "admin", password: "abcdabcdabcdabcdabcdabcd" },
    ]);
    const k = s.svc.db.db;
    const account = (id: string | undefined, a: string) => ({
      id: id ?? "",
      account_id: a,
      kind: "wordpress" as const,
    });
    await replaceSiteExtensions(
      k,
      account(mine, w.a),
      info([
        plugin("akismet/akismet.php"),
        plugin("old-plugin/old-plugin.php"),
        plugin("in-house/in-house.php"),
        plugin("hello.php"),
        { ...plugin("steward-test"), type: "theme" },
      ]),
    );
    await replaceSiteExtensions(k, account(theirs, w.b), info([plugin("old-plugin/main.php")]));
    const task = await k
      .selectFrom("tasks")
      .select("id")
      .where("kind", "=", "cms.plugin-directory")
      .executeTakeFirstOrThrow();
    taskId = task.id;
  });

  /** Runs the installation's recurring task now, through the engine, to its end. */
  const runTask = async () => {
    const before = (await findTask(s.svc.db.db, taskId))?.finished_at ?? null;
    const run = await s.request("POST", `/api/v1/tasks/${taskId}/run`, { key: w.keys.super });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    await expect
      .poll(async () => (await findTask(s.svc.db.db, taskId))?.finished_at ?? null, {
        timeout: 30_000,
      })
      .not.toBe(before);
    const done = await findTask(s.svc.db.db, taskId);
    expect(done?.last_outcome, done?.last_error ?? "").toBe("succeeded");
  };
  const list = async (key: string, query: string) =>
    (await s.request("GET", `/api/v1/cms-extensions?${query}`, { key })).body.items as {
      slug: string;
      accountId: string;
      abandoned: boolean;
      releasedAt: string | null;
    }[];

  it("reads the directory's dates", () => {
    expect(parseLastUpdated("2019-03-02 9:05am GMT")).toBe(Date.UTC(2019, 2, 2, 9, 5));
    expect(parseLastUpdated("2024-11-11 12:39pm GMT")).toBe(Date.UTC(2024, 10, 11, 12, 39));
    expect(parseLastUpdated("2024-11-11 12:01am GMT")).toBe(Date.UTC(2024, 10, 11, 0, 1));
    expect(parseLastUpdated("yesterday")).toBeNull();
  });

  it("asks once per plugin folder, caches, and shows the abandoned ones", async () => {
    await runTask();
    expect(unexpected).toEqual([]);
    expect(
      seen.map((r) => new URL(r.url, "http://x").searchParams.get("request[slug]")).sort(),
    ).toEqual(["akismet", "in-house", "old-plugin"]);
    expect(seen.every((r) => r.userAgent?.startsWith("Steward/"))).toBe(true);

    const abandoned = await list(w.keys.reader, `account=${w.a}&abandoned=true`);
    expect(abandoned.map((e) => [e.slug, e.releasedAt])).toEqual([
      ["old-plugin/old-plugin.php", "2019-03-02T09:05:00.000Z"],
    ]);
    const fine = await list(w.keys.reader, `account=${w.a}&abandoned=false`);
    expect(fine.map((e) => e.slug).sort()).toEqual([
      "akismet/akismet.php",
      "hello.php",
      "in-house/in-house.php",
      "steward-test",
      "wordpress",
    ]);
    expect(fine.find((e) => e.slug === "akismet/akismet.php")?.releasedAt).toBe(
      `${recent}T15:39:00.000Z`,
    );
    expect(fine.find((e) => e.slug === "in-house/in-house.php")?.releasedAt).toBeNull();
    // another account's abandoned plugin is its own
    const other = await list(w.keys.otherAdmin, "abandoned=true");
    expect(other.map((e) => [e.slug, e.accountId])).toEqual([["old-plugin/main.php", w.b]]);
    const all = await list(w.keys.super, "abandoned=true");
    expect(all).toHaveLength(2);

    // a second run within the day asks nothing; a refresh reads the cache
    seen.length = 0;
    await runTask();
    expect(seen).toEqual([]);
    const site = (
      await s.svc.db.db
        .selectFrom("cms_extensions")
        .select(["site_id", "account_id"])
        .where("account_id", "=", w.a)
        .executeTakeFirstOrThrow()
    ).site_id;
    await replaceSiteExtensions(
      s.svc.db.db,
      { id: site, account_id: w.a, kind: "wordpress" },
      info([plugin("old-plugin/old-plugin.php")]),
      Date.now() - 365 * 86_400_000,
    );
    expect((await list(w.keys.reader, `account=${w.a}&abandoned=true`)).map((e) => e.slug)).toEqual(
      ["old-plugin/old-plugin.php"],
    );
  });

  it("refuses a filter that is not true or false, naming it", async () => {
    const bad = await s.request("GET", `/api/v1/cms-extensions?abandoned=yes`, {
      key: w.keys.reader,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      expect.objectContaining({ field: "querystring.abandoned" }),
    ]);
  });
});
