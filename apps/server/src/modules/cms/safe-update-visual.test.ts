// The safe updates' visual check against a real WordPress (testkit: Debian's WordPress, php-fpm,
// nginx, MariaDB and a local update source) and the panel machine's Debian Chromium: with the
// site's policy turning the check on, a plugin update that changes nothing visible passes (its
// three images kept and served as PNG), a new version that covers the page with a big red block
// answers HTTP 200 but is caught by the screenshot diff and rolled back, and without Chromium the
// check is skipped with a warning in the task's log and the history (never a silent pass). The
// installation's allow list names 127.0.0.1, as a test one's would.
import { existsSync } from "node:fs";
import { helloPlugin, missing, startWordPress, type WordPressSite } from "@steward/testkit";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../testing/dispatch.ts";
import { forgetGap } from "../../testing/engine.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { addBlog, installConnector } from "../../testing/wordpress-connector.ts";
import { cmsPolicy } from "./outbound.ts";
import { runUpgrade } from "./safe-update.ts";
import { DEFAULT_CHROMIUM } from "./visual-check.ts";
import { VIEWPORT } from "./visual-shot.ts";

const chromium = process.env.STEWARD_CHROMIUM ?? DEFAULT_CHROMIUM;
const wp = existsSync(chromium)
  ? await startWordPress()
  : missing("Chromium", "apt-get install chromium");
const HELLO = "hello-steward/hello-steward.php";
// the test site's theme prints its page without wp_footer: the block comes before it
const RED_BLOCK = `add_action('template_redirect', function () { echo '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:#d00;z-index:99999"></div>'; });`;

interface Entry {
  id: string;
  outcome: string;
  from: string;
  to: string;
  message: string;
  visual: { percent: number | null; threshold: number; shots: boolean } | null;
}

afterAll(async () => {
  await wp?.stop();
});

describe.skipIf(!wp)("the safe updates' visual check against a real WordPress", () => {
  const site = wp as WordPressSite;
  const s = useServer("sqlite", {
    env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32", STEWARD_CHROMIUM: chromium },
  });
  const w = useWorld(s);
  let id = "";

  const refreshed = async () => {
    const started = await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, {
      key: w.keys.operator,
    });
    const task = await settleTask(s, started.body.taskId, 60_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
  };
  const history = async () =>
    (await s.request("GET", `/api/v1/cms-sites/${id}/history`, { key: w.keys.reader })).body
      .items as Entry[];
  const shot = async (entry: string, kind: string) => {
    const answer = await fetch(`${s.url}/api/v1/cms-sites/${id}/history/${entry}/shots/${kind}`, {
      headers: { authorization: `Bearer ${w.keys.reader}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/png");
    return PNG.sync.read(Buffer.from(await answer.arrayBuffer()));
  };
  const update = async (version: string, body = "") => {
    site.updates.clearPlugins();
    await site.updates.offerPlugin({ file: HELLO, version, files: helloPlugin(version, body) });
    await refreshed();
    await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
    const pushed = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "plugin", slug: HELLO },
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
    return settleTask(s, pushed.body.taskId, 180_000);
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    await installConnector(s, w.keys.reader, site);
    await site.activatePlugin(HELLO);
    id = await addBlog(s, w.keys.accountAdmin, w.a, site);
    const policy = await s.request("PUT", "/api/v1/update-policies", {
      key: w.keys.accountAdmin,
      body: { account: w.a, site: id, level: "minor", visualCheck: "on", visualThreshold: 5 },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    expect(policy.body).toMatchObject({ visualCheck: "on", visualThreshold: 5 });
    const effective = await s.request("GET", `/api/v1/cms-sites/${id}/policy`, {
      key: w.keys.reader,
    });
    expect(effective.body).toMatchObject({ visualCheck: "on", visualThreshold: 5 });
  }, 120_000);

  it("passes an update that changes nothing visible, keeping its three images", async () => {
    const task = await update("1.1.0");
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    const log = await taskLogText(s, task.id);
    expect(log).toContain("visual check on: more than 5% of the home page's pixels changed fails");
    expect(log).toMatch(/visual check: [\d.]+% of the home page's pixels changed \(threshold 5%\)/);
    const [entry] = await history();
    expect(entry).toMatchObject({ outcome: "succeeded", from: "1.0.0", to: "1.1.0" });
    expect(entry?.visual?.shots).toBe(true);
    expect(entry?.visual?.percent).toBeLessThanOrEqual(5);
    expect(entry?.message).toContain("visual check:");
    for (const kind of ["before", "after", "diff"]) {
      const png = await shot(entry?.id ?? "", kind);
      expect([png.width, png.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    }
    // the screenshot is the page itself: not blank
    const before = await shot(entry?.id ?? "", "before");
    expect(new Set(pixels(before, 40)).size).toBeGreaterThan(2);
  });

  it("rolls back an update that covers the page with a red block though it answers 200", async () => {
    const task = await update("1.2.0", RED_BLOCK);
    expect(task.state).toBe("failed");
    expect(task.last_error).toMatch(/the home page changed visually: [\d.]+% of the home page's/);
    expect(task.last_error).toContain("rolled back to 1.1.0");
    expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
    const log = await taskLogText(s, task.id);
    expect(log).toMatch(/visual check: [\d.]+% of the home page's pixels changed \(threshold 5%\)/);
    const [entry] = await history();
    expect(entry).toMatchObject({ outcome: "rolled_back", from: "1.1.0", to: "1.2.0" });
    expect(entry?.visual?.percent).toBeGreaterThan(50);
    expect(entry?.visual?.shots).toBe(true);
    const after = await shot(entry?.id ?? "", "after");
    const center = ((after.height / 2) * after.width + after.width / 2) * 4;
    expect([...after.data.subarray(center, center + 3)]).toEqual([0xdd, 0, 0]);
    expect((await shot(entry?.id ?? "", "diff")).width).toBe(VIEWPORT.width);
    // the site's home page, after the rollback, has no red block (PHP-FPM may serve the
    // replaced file's compiled code a moment longer)
    await until(async () => !(await (await fetch(site.url)).text()).includes("background:#d00"));
  });

  it("skips the check with a warning when Chromium is missing, never a silent pass", async () => {
    site.updates.clearPlugins();
    await site.updates.offerPlugin({ file: HELLO, version: "1.1.1", files: helloPlugin("1.1.1") });
    await refreshed();
    const lines: string[] = [];
    const log = {
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    };
    const deps = {
      db: s.svc.db,
      secrets: s.svc.secrets,
      policy: () => cmsPolicy(s.svc.settings),
      chromium: "/nonexistent/chromium",
    };
    await runUpgrade(deps, { id: "tsk_visual_skipped", siteId: id }, log);
    expect(lines).toContain(
      "warn visual check skipped: Chromium is not installed on the panel's machine (/nonexistent/chromium; the chromium setting, STEWARD_CHROMIUM)",
    );
    const [entry] = await history();
    expect(entry).toMatchObject({ outcome: "succeeded", to: "1.1.1" });
    expect(entry?.visual).toEqual({ percent: null, threshold: 5, shots: false });
    expect(entry?.message).toContain("visual check skipped: Chromium is not installed");
    const none = await s.request(
      "GET",
      `/api/v1/cms-sites/${id}/history/${entry?.id}/shots/before`,
      { key: w.keys.reader },
    );
    expect(none.status).toBe(404);
  });
});

/** Every `step`th pixel's colour as one number. */
function pixels(png: PNG, step: number) {
  const out: number[] = [];
  for (let i = 0; i < png.data.length; i += 4 * step)
    out.push(((png.data[i] ?? 0) << 16) | ((png.data[i + 1] ?? 0) << 8) | (png.data[i + 2] ?? 0));
  return out;
}
