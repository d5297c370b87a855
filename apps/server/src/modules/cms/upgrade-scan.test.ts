// The upgrade scan and the bulk preview at a fixed clock (Monday 2 March 2026, 12:00 UTC):
// sites whose policies apply their offers get one run-once, high-priority upgrade task each,
// due at their window's next opening in their own time zone and two minutes apart; a site
// whose offer goes beyond its policy is only announced, one whose policy is `none` not even
// that; a second scan adds nothing; the bulk preview tells the same times and changes nothing.
// Windows across a daylight-saving change; policies judged by the most specific one.
import type { CmsInfo } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findTask } from "../tasks/repo.ts";
import { insertSite } from "./repo.ts";
import { bumpOf, isStable } from "./update-policy.ts";
import { findUpgrade } from "./update-repo.ts";
import { inWindow, nextWindowStart } from "./update-window.ts";
import { scanUpgrades } from "./upgrade-scan.ts";

const NOW = Date.parse("2026-03-02T12:00:00Z");
const at = (iso: string) => Date.parse(iso);

const info = (plugin: { version: string; update: string }): CmsInfo => ({
  connector: "0.1.0",
  core: "6.4.2",
  php: "8.2",
  database: "MariaDB",
  siteUrl: "https://example.invalid",
  timezone: "UTC",
  coreUpdate: null,
  extensions: [{ type: "plugin", slug: "shop/shop.php", name: "Shop", active: true, ...plugin }],
});

describe("update windows", () => {
  const daily = {
    start: "05:00",
    durationMinutes: 120,
    days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const,
  };
  it("opens at the local time in the site's zone, across a daylight-saving change", () => {
    const w = { ...daily, days: [...daily.days] };
    // Chicago: UTC-6 until 8 March 2026 02:00, then UTC-5
    expect(nextWindowStart(w, "America/Chicago", at("2026-03-07T14:00:00Z"))).toBe(
      at("2026-03-08T10:00:00Z"),
    );
    expect(nextWindowStart(w, "America/Chicago", at("2026-03-06T14:00:00Z"))).toBe(
      at("2026-03-07T11:00:00Z"),
    );
    expect(inWindow(w, "America/Chicago", at("2026-03-07T12:30:00Z"))).toBe(true);
    expect(nextWindowStart(w, "America/Chicago", at("2026-03-07T12:30:00Z"))).toBe(
      at("2026-03-07T12:30:00Z"),
    );
  });

  it("keeps to its days, and a window past midnight belongs to the day it opens", () => {
    const w = { start: "23:00", durationMinutes: 120, days: ["sat" as const] };
    // Monday noon UTC: the next Saturday 23:00
    expect(nextWindowStart(w, "UTC", NOW)).toBe(at("2026-03-07T23:00:00Z"));
    expect(inWindow(w, "UTC", at("2026-03-08T00:30:00Z"))).toBe(true);
    expect(inWindow(w, "UTC", at("2026-03-08T01:00:00Z"))).toBe(false);
    expect(inWindow(w, "UTC", at("2026-03-08T23:30:00Z"))).toBe(false);
  });
});

describe("policy judgement", () => {
  it("reads versions as semantic ones; letters make a pre-release", () => {
    expect(bumpOf("1.2.3", "1.2.4")).toBe("patch");
    expect(bumpOf("1.2.3", "1.3.0")).toBe("minor");
    expect(bumpOf("6.4", "6.5")).toBe("minor");
    expect(bumpOf("1.9", "2.0")).toBe("major");
    expect(isStable("2.0.0")).toBe(true);
    expect(isStable("2.0.0-beta.1")).toBe(false);
    expect(isStable("5.9-RC2")).toBe(false);
  });
});

describe.each(dialects())("the upgrade scan at a fixed clock on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  const deps = () => ({ db: s.svc.db, engine: s.svc.engine });

  const site = async (
    name: string,
    timezone: string,
    plugin = { version: "1.0.0", update: "1.1.0" },
  ) => {
    const id = `cms_scan${name}${w.unique()}`;
    await insertSite(s.svc.db.db, {
      id,
      account_id: w.a,
      name,
      kind: "wordpress",
      url: `https://${name}.invalid`,
      username: "admin",
      secret_enc: "unused",
      timezone,
      info: JSON.stringify(info(plugin)),
      core_version: "6.4.2",
      updates_available: 1,
      refreshed_at: NOW - 60_000,
      refresh_error: null,
      diagnosis: null,
      refresh_task_id: null,
      created_at: NOW,
      updated_at: NOW,
    });
    return id;
  };
  const put = async (body: Record<string, unknown>) => {
    const res = await s.request("PUT", "/api/v1/update-policies", {
      key: w.keys.accountAdmin,
      body: { account: w.a, ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it("schedules each site in its window, 2 minutes apart, and the preview tells the same", async () => {
    // the account's defaults: minor updates, 05:00–07:00 every day in each site's zone
    await put({ level: "minor", window: { start: "05:00", durationMinutes: 120 } });
    const utc = [await site("a", "UTC"), await site("b", "UTC"), await site("c", "UTC")];
    // Chicago, Mondays 23:00–24:00 local: Tuesday 05:00 UTC, when the UTC sites start too
    const chicago = await site("d", "America/Chicago");
    await put({
      site: chicago,
      level: "patch",
      window: { start: "23:00", durationMinutes: 60, days: ["mon"] },
    });
    await put({ site: chicago, type: "plugin", slug: "shop/shop.php", level: "minor" });
    const major = await site("e", "UTC", { version: "1.0.0", update: "2.0.0" });
    const none = await site("f", "UTC");
    await put({ site: none, level: "none" });

    const preview = await s.svc.cmsUpdates.bulk(
      s.cli,
      { account: w.a, all: false, now: false, preview: true },
      NOW,
    );
    const times = Object.fromEntries(preview.items.map((i) => [i.siteId, i.runAt]));
    expect(times).toEqual({
      [utc[0] as string]: "2026-03-03T05:00:00.000Z",
      [utc[1] as string]: "2026-03-03T05:02:00.000Z",
      [utc[2] as string]: "2026-03-03T05:04:00.000Z",
      [chicago]: "2026-03-03T05:06:00.000Z",
      [major]: null,
      [none]: null,
    });
    expect(preview.items.find((i) => i.siteId === major)?.note).toBe(
      "no update the policy applies on its own",
    );
    expect(await findUpgrade(s.svc.db.db, utc[0] as string)).toBeUndefined();

    const scan = await scanUpgrades(deps(), NOW);
    expect(
      Object.fromEntries(scan.scheduled.map((x) => [x.siteId, new Date(x.runAt).toISOString()])),
    ).toEqual(Object.fromEntries(Object.entries(times).filter(([, t]) => t !== null)));
    for (const id of [...utc, chicago]) {
      const record = await findUpgrade(s.svc.db.db, id);
      const task = await findTask(s.svc.db.db, record?.task_id ?? "");
      expect(task).toMatchObject({
        kind: "cms.upgrade",
        priority: 1,
        expression: null,
        state: "queued",
        gap_key: "cms.upgrade:cms-upgrade",
        gap_ms: 120_000,
        run_at: Date.parse(times[id] as string),
      });
    }
    // announced: every site but the one whose policy is none
    expect(scan.announced).toBe(5);
    expect((await findUpgrade(s.svc.db.db, major))?.task_id).toBeNull();
    expect(await findUpgrade(s.svc.db.db, none)).toBeUndefined();

    const again = await scanUpgrades(deps(), NOW + 60_000);
    expect(again).toEqual({ scheduled: [], announced: 0 });
    const later = await s.svc.cmsUpdates.bulk(
      s.cli,
      { account: w.a, all: false, now: false, preview: true },
      NOW,
    );
    expect(later.items.find((i) => i.siteId === utc[0])?.note).toBe(
      "an upgrade task is already waiting",
    );
    // "start now" plans the waiting one for now (2 minutes from the others waiting)
    const soon = await s.svc.cmsUpdates.bulk(
      s.cli,
      { account: w.a, sites: [utc[0] as string], all: false, now: true, preview: true },
      NOW,
    );
    expect(soon.items).toEqual([
      expect.objectContaining({ runAt: new Date(NOW).toISOString(), note: null, taskId: null }),
    ]);

    // everything offered, now: the major one too, still 2 minutes from the waiting ones
    const all = await s.svc.cmsUpdates.bulk(
      s.cli,
      { account: w.a, sites: [major], all: true, now: true, preview: false },
      NOW,
    );
    expect(all.items).toEqual([
      expect.objectContaining({
        siteId: major,
        runAt: new Date(NOW).toISOString(),
        taskId: expect.any(String),
      }),
    ]);
    const task = await findTask(s.svc.db.db, all.items[0]?.taskId ?? "");
    expect(task).toMatchObject({ run_at: NOW, priority: 1, state: "queued" });
    expect(JSON.parse((await findUpgrade(s.svc.db.db, major))?.requested ?? "[]")).toEqual([
      { type: "plugin", slug: "shop/shop.php" },
    ]);

    // applied now: the waiting task itself brought forward (the engine's gap keeps it 2 minutes
    // from the major one's when they run)
    const waiting = (await findUpgrade(s.svc.db.db, utc[0] as string))?.task_id;
    const forward = await s.svc.cmsUpdates.bulk(
      s.cli,
      { account: w.a, sites: [utc[0] as string], all: false, now: true, preview: false },
      NOW,
    );
    expect(forward.items).toEqual([
      expect.objectContaining({ runAt: new Date(NOW).toISOString(), taskId: waiting }),
    ]);
    expect(await findTask(s.svc.db.db, waiting ?? "")).toMatchObject({
      run_at: NOW,
      state: "queued",
    });
  });
});
