// Joomla core updates through the safe-update pipeline (docs/cms.md#joomla-core-updates),
// against testkit's recording fake (Joomla is not installable here): the site's `cms.upgrade`
// task takes an Akeeba Backup, then drives the Panopticon connector's download, extract.php
// and post-update in Panopticon's order, and checks the home page; the site then runs the new
// version. A new version whose home page answers 500, an extraction that fails, or (with the
// policy's visual check on, Debian's Chromium on the panel) a layout that changes beyond the
// threshold (the header moved into a sidebar) fails the update with the backup named (Akeeba restores are outside the
// connector); a hostile version offered is refused before anything is downloaded. The fake's
// own answers to out-of-order calls: packages/testkit/src/joomla-fake-core.test.ts.
import { existsSync } from "node:fs";
import { type JoomlaFake, missing, startJoomlaFake } from "@steward/testkit";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRule, HOOK_SECRET, hooks, until, webhookChannel } from "../../testing/dispatch.ts";
import { forgetGap } from "../../testing/engine.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { useFake } from "../notifications/channels/fakes/use-fake.ts";
import { webhookFake } from "../notifications/channels/fakes/webhook.ts";
import { readJoomlaInfo } from "./joomla.ts";
import { cmsPolicy } from "./outbound.ts";
import { DEFAULT_CHROMIUM } from "./visual-check.ts";

const TOKEN = "c2hhMjU2OjQyOjBmZDlmZTg2YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODk=";
const API = "/api/index.php/v1/panopticon/";
const EXTRACT = "/administrator/components/com_joomlaupdate/extract.php";
const chromium = process.env.STEWARD_CHROMIUM ?? DEFAULT_CHROMIUM;
// Chromium missing fails under STEWARD_REQUIRE_SYSTEM, skips the visual test otherwise
const hasChromium =
  existsSync(chromium) || missing("Chromium", "apt-get install chromium") !== null;
const hook = useFake(webhookFake(HOOK_SECRET));

const fakes: JoomlaFake[] = [];
const fake = async (latest = "5.1.2", akeeba = true) => {
  const f = await startJoomlaFake({
    token: TOKEN,
    core: { current: "5.1.0", latest },
    connector: true,
    ...(akeeba ? { akeeba: { secret: "s3cr3t-w0rd", steps: 2, archiveBytes: 1000 } } : {}),
  });
  fakes.push(f);
  return f;
};
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.stop()));
});

/** The core update's requests, from the first after `from`: "METHOD route [extract.php task]". */
const coreCalls = (joomla: JoomlaFake, from: number) =>
  joomla.requests
    .slice(from)
    .filter((r) => r.path.startsWith(`${API}core/update`) || r.path === EXTRACT)
    .map((r) =>
      r.path === EXTRACT
        ? `${r.method} extract.php ${(r.body as { task?: string }).task}`
        : `${r.method} ${r.path.slice(API.length)}${r.query}`,
    );

describe("Joomla core updates", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32", STEWARD_CHROMIUM: chromium },
  });
  const w = useWorld(s);

  const addSite = async (name: string, url: string) => {
    const made = await s.request("POST", "/api/v1/cms-sites", {
      key: w.keys.accountAdmin,
      body: { account: w.a, name, kind: "joomla", url, username: "admin", apiToken: TOKEN },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id as string;
    const refresh = await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, {
      key: w.keys.operator,
    });
    expect((await settleTask(s, refresh.body.taskId, 30_000)).state).toBe("succeeded");
    return id;
  };
  const updateCore = async (id: string) => {
    await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
    const res = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "core" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return settleTask(s, res.body.taskId, 60_000);
  };
  const history = async (id: string) =>
    (await s.request("GET", `/api/v1/cms-sites/${id}/history`, { key: w.keys.reader })).body
      .items as {
      id: string;
      outcome: string;
      type: string;
      from: string;
      to: string | null;
      message: string;
      visual: { percent: number | null; threshold: number; shots: boolean } | null;
    }[];

  beforeAll(async () => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
    const channel = await webhookChannel(s, w.keys.accountAdmin, w.a, "cms", hook);
    await addRule(s, w.a, { eventTypes: ["cms.update."] }, [channel]);
  });

  it("backs up, downloads, extracts and finalises in Panopticon's order: the site runs 5.1.2", async () => {
    const joomla = await fake();
    const id = await addSite("core-ok", joomla.url);
    const from = joomla.requests.length;
    const task = await updateCore(id);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    expect(joomla.core.current).toBe("5.1.2");
    expect(joomla.akeeba.records.map((r) => r.description)).toEqual([
      "Steward: before updating core Joomla 5.1.0 → 5.1.2",
    ]);
    // the backup is complete before the site downloads anything
    const paths = joomla.requests.map((r) => r.path);
    expect(paths.lastIndexOf("/index.php")).toBeLessThan(
      paths.indexOf(`${API}core/update/download/chunked`),
    );
    expect(coreCalls(joomla, from).slice(0, 12)).toEqual([
      "GET core/update?force=1",
      "POST core/update/download/chunked",
      "POST core/update/download/chunked",
      "POST core/update/download/chunked",
      "POST core/update/activate",
      "POST extract.php startExtract",
      "POST extract.php stepExtract",
      "POST extract.php stepExtract",
      "POST extract.php finalizeUpdate",
      "POST core/update/postupdate",
      "GET core/update?force=1",
      // the refresh after the task
      "GET core/update?force=1",
    ]);
    const chunks = joomla.requests.filter((r) => r.path.endsWith("/download/chunked"));
    expect(chunks.map((r) => r.body)).toEqual([
      {},
      {
        url: "https://downloads.joomla.org/cms/joomla5/5-1-2/Joomla_5.1.2-Stable-Update_Package.zip",
        size: "30000",
        offset: "12000",
        chunk_index: "1",
      },
      expect.objectContaining({ offset: "24000", chunk_index: "2" }),
    ]);
    // extract.php gets its one-time password, never the API token; update.php is gone after
    const extract = joomla.requests.filter((r) => r.path === EXTRACT);
    expect(extract.every((r) => r.credential === "none" && r.status === 200)).toBe(true);
    expect(extract[1]?.body).toMatchObject({ task: "stepExtract", instance: expect.any(String) });
    expect(joomla.core.password).toBeNull();
    expect((await history(id))[0]).toMatchObject({
      outcome: "succeeded",
      type: "core",
      from: "5.1.0",
      to: "5.1.2",
    });
    const log = await taskLogText(s, task.id);
    expect(log).toContain("downloaded Joomla_5.1.2-Stable-Update_Package.zip (30000 bytes)");
    expect(log).toContain("the home page answers HTTP 200");
    const site = await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.reader });
    expect(site.body).toMatchObject({ coreVersion: "5.1.2" });
    await until(() => hooks(hook, "cms").some((h) => h.subject === "Updated: core-ok"));
  });

  it("fails an update after which the home page answers 500, naming the backup", async () => {
    const joomla = await fake();
    joomla.core.afterUpdate = { status: 500, html: "<h1>Error</h1>" };
    const id = await addSite("core-500", joomla.url);
    const task = await updateCore(id);
    expect(task.state).toBe("failed");
    expect(task.last_error).toContain("after the update the home page answers HTTP 500");
    expect(task.last_error).toContain("not rolled back automatically: restore Akeeba Backup id-1");
    expect(joomla.core.current).toBe("5.1.2");
    expect((await history(id))[0]).toMatchObject({
      outcome: "failed",
      type: "core",
      from: "5.1.0",
      to: "5.1.2",
      message: expect.stringContaining("restore Akeeba Backup id-1 (record 1)"),
    });
    await until(() => hooks(hook, "cms").some((h) => h.subject === "Update failed: core-500"));
  });

  it("fails when extract.php fails: update.php removed, the version unchanged, the backup named", async () => {
    const joomla = await fake();
    joomla.core.failExtract = "Could not open the update package";
    const id = await addSite("core-extract", joomla.url);
    const from = joomla.requests.length;
    const task = await updateCore(id);
    expect(task.state).toBe("failed");
    expect(task.last_error).toContain(
      "the update failed: the extraction failed: Could not open the update package",
    );
    expect(task.last_error).toContain("restore Akeeba Backup id-1");
    expect(coreCalls(joomla, from).slice(4, 7)).toEqual([
      "POST core/update/activate",
      "POST extract.php startExtract",
      "POST core/update/disable",
    ]);
    expect(joomla.core).toMatchObject({ current: "5.1.0", password: null });
    expect((await history(id))[0]).toMatchObject({ outcome: "failed", type: "core", to: null });
  });

  it("downloads the package in one go when the chunked download fails, as Panopticon does", async () => {
    const joomla = await fake();
    joomla.core.failChunked = "Range requests are not supported";
    const id = await addSite("core-whole", joomla.url);
    const from = joomla.requests.length;
    const task = await updateCore(id);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    expect(coreCalls(joomla, from).slice(0, 5)).toEqual([
      "GET core/update?force=1",
      "POST core/update/download/chunked",
      "POST core/update/download",
      "POST core/update/activate",
      "POST extract.php startExtract",
    ]);
    expect(await taskLogText(s, task.id)).toContain(
      "the chunked download failed (Range requests are not supported): downloading in one go",
    );
    expect(joomla.core.current).toBe("5.1.2");
  });

  it("refuses a hostile version offered, and updates nothing without a backup", async () => {
    const hostile = [
      "5.1.3\n<script>",
      "5.1.3/../../x",
      "5.1.3;`id`--",
      "5.1.3'\u0000",
      "5.1.3.".repeat(50),
    ];
    for (const latest of hostile) {
      const joomla = await fake();
      const id = await addSite(`core-hostile-${fakes.length}`, joomla.url);
      // the offer changed since the refresh: the task reads it again, as Panopticon does
      joomla.core.latest = latest;
      const task = await updateCore(id);
      expect(task.state, latest).toBe("failed");
      // a version longer than 50 characters fails the answer's schema itself
      expect(task.last_error).toMatch(
        /the update failed: (the Joomla version offered is not a version|the site's answer is not what it should be)/,
      );
      expect(joomla.requests.some((r) => r.path.includes("/download"))).toBe(false);
      expect(joomla.core.current).toBe("5.1.0");
    }
    // the refresh refuses a hostile version too (the site's offer is never cached)
    const refusing = await fake("5.1.3\n<b>");
    const target = { url: refusing.url, username: "admin", password: TOKEN };
    await expect(
      readJoomlaInfo(target, { policy: cmsPolicy(s.svc.settings) }, true),
    ).rejects.toThrow("the Joomla version offered is not a version");
    // a slug for core, or a hostile one: 400 naming the field, no task
    const some = await addSite("core-slug", (await fake()).url);
    for (const slug of ["joomla", "../x", "com_x;--", "a".repeat(201)]) {
      const res = await s.request("POST", `/api/v1/cms-sites/${some}/update`, {
        key: w.keys.accountAdmin,
        body: { type: "core", slug },
      });
      expect(res.status, slug).toBe(400);
      expect(JSON.stringify(res.body)).toContain("slug");
    }
    // Joomla before 4.0.4 extracts with the encrypted restore.php: refused before any download
    const old = await startJoomlaFake({
      token: TOKEN,
      core: { current: "4.0.3", latest: "4.0.4" },
      connector: true,
      akeeba: { secret: "s3cr3t-w0rd" },
    });
    fakes.push(old);
    const oldTask = await updateCore(await addSite("core-old", old.url));
    expect(oldTask.last_error).toContain("Joomla 4.0.3 extracts updates with restore.php");
    expect(old.requests.some((r) => r.path.includes("/download"))).toBe(false);
    const bare = await fake("5.1.2", false);
    const id = await addSite("core-no-akeeba", bare.url);
    const task = await updateCore(id);
    expect(task.last_error).toContain("no restore point or backup could be made");
    expect(bare.requests.some((r) => r.path.startsWith(`${API}core/update/`))).toBe(false);
    expect(bare.core.current).toBe("5.1.0");
  });

  it.skipIf(!hasChromium)(
    "fails the visual check when the new version's layout changes beyond the threshold",
    async () => {
      const joomla = await fake();
      // the new version's template puts the header in a sidebar and the text beside it
      joomla.core.afterUpdate = {
        status: 200,
        html: joomla.home.html
          .replace('<header style="', '<header style="position:fixed;top:0;bottom:0;width:320px;')
          .replace('<main style="', '<main style="margin-left:320px;'),
      };
      const id = await addSite("core-visual", joomla.url);
      const policy = await s.request("PUT", "/api/v1/update-policies", {
        key: w.keys.accountAdmin,
        body: { account: w.a, site: id, level: "minor", visualCheck: "on", visualThreshold: 5 },
      });
      expect(policy.status, JSON.stringify(policy.body)).toBe(200);
      const task = await updateCore(id);
      expect(task.state).toBe("failed");
      expect(task.last_error).toMatch(/the home page changed visually: [\d.]+% of the home page's/);
      expect(task.last_error).toContain("restore Akeeba Backup id-1");
      const [entry] = await history(id);
      expect(entry).toMatchObject({ outcome: "failed", type: "core", to: "5.1.2" });
      expect(entry?.visual?.percent).toBeGreaterThan(20);
      expect(entry?.visual?.shots).toBe(true);
      // the images are the pages: the header's blue at the top before, the sidebar's after
      const shot = async (kind: string) => {
        const answer = await fetch(
          `${s.url}/api/v1/cms-sites/${id}/history/${entry?.id}/shots/${kind}`,
          { headers: { authorization: `Bearer ${w.keys.reader}` } },
        );
        expect(answer.headers.get("content-type")).toBe("image/png");
        return PNG.sync.read(Buffer.from(await answer.arrayBuffer()));
      };
      const rgb = (png: PNG, x: number, y: number) => {
        const i = (y * png.width + x) * 4;
        return [...png.data.subarray(i, i + 3)];
      };
      expect(rgb(await shot("before"), 100, 400)).toEqual([0xff, 0xff, 0xff]);
      expect(rgb(await shot("after"), 100, 400)).toEqual([0x1a, 0x38, 0x67]);

      // the same page after the next update: compared, and passed
      Object.assign(joomla.core, { latest: "5.1.3", afterUpdate: null });
      const refreshed = await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, {
        key: w.keys.operator,
      });
      await settleTask(s, refreshed.body.taskId, 30_000);
      const next = await updateCore(id);
      expect(next.state, next.last_error ?? "").toBe("succeeded");
      const [passed] = await history(id);
      expect(passed).toMatchObject({ outcome: "succeeded", from: "5.1.2", to: "5.1.3" });
      expect(passed?.visual?.percent).toBeLessThanOrEqual(5);
      expect(passed?.visual?.shots).toBe(true);
    },
    90_000,
  );
});
