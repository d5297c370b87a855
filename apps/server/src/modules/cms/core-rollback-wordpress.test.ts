// Core updates and their rollback against a real WordPress (testkit: Debian's WordPress,
// php-fpm, nginx, MariaDB and a local update source offering core releases made of the site's
// own tree), the connector installed from the panel's zip. A good release is applied by the
// site's upgrade task (the version read back by the refresh); a broken one (its
// template-loader.php fatals: every page answers 500, the REST API still answers) is caught by
// the HTTP check and rolled back by reinstalling the version running before, as the update
// API offers it: the home page at 200 again, the version back, the history `rolled_back`, the
// `cms.update.rolled_back` event. Hostile versions are refused by the contracts validator
// before any request and by the connector (400), changing nothing.
import { BAD_CMS_VERSIONS } from "@steward/contracts/testing";
import { startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRule, HOOK_SECRET, hooks, until, webhookChannel } from "../../testing/dispatch.ts";
import { forgetGap } from "../../testing/engine.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { addBlog, installConnector } from "../../testing/wordpress-connector.ts";
import { useFake } from "../notifications/channels/fakes/use-fake.ts";
import { webhookFake } from "../notifications/channels/fakes/webhook.ts";
import { cmsPolicy } from "./outbound.ts";
import { reinstallCore } from "./restore-client.ts";

const wp = await startWordPress();
const fake = useFake(webhookFake(HOOK_SECRET));

afterAll(async () => {
  await wp?.stop();
});

/** `6.1.9` → `6.1.10` (n = 1), `6.1.11` (n = 2). */
const bump = (version: string, n: number) =>
  version.replace(/\d+$/, (last) => String(Number(last) + n));

describe.skipIf(!wp)("core updates rolled back by reinstalling the previous version", () => {
  const site = wp as WordPressSite;
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let id = "";
  let original = "";
  let good = "";
  let broken = "";
  let later = "";
  let worse = "";

  const refreshed = async () => {
    const started = await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, {
      key: w.keys.operator,
    });
    const task = await settleTask(s, started.body.taskId, 60_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
  };
  const history = async () =>
    (await s.request("GET", `/api/v1/cms-sites/${id}/history`, { key: w.keys.reader })).body
      .items as { outcome: string; type: string; from: string; to: string; message: string }[];
  const home = async () => (await fetch(site.url)).status;
  const updateCore = async () => {
    await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
    const pushed = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "core" },
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
    return settleTask(s, pushed.body.taskId, 240_000);
  };
  const reinstall = (body: unknown) =>
    fetch(`${site.url}/wp-json/steward/v1/reinstall`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${site.admin.user}:${site.admin.applicationPassword}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
    await installConnector(s, w.keys.reader, site);
    original = await site.coreVersion();
    good = bump(original, 1);
    broken = bump(original, 2);
    later = bump(original, 3);
    worse = bump(original, 4);
    // a core bug that breaks every page while WordPress's REST API (and the connector) runs
    const fatal = { "wp-includes/template-loader.php": "<?php\nsteward_no_such_function();\n" };
    for (const version of [good, later])
      await site.updates.addCoreRelease({ version, tree: site.root });
    for (const version of [broken, worse])
      await site.updates.addCoreRelease({ version, tree: site.root, files: fatal });
    id = await addBlog(s, w.keys.accountAdmin, w.a, site);
    const channel = await webhookChannel(s, w.keys.accountAdmin, w.a, "cms", fake);
    await addRule(s, w.a, { eventTypes: ["cms.update."] }, [channel]);
  }, 180_000);

  it("applies a core update: the version running recorded, the new one read back", async () => {
    site.updates.offerCore(good);
    await refreshed();
    const task = await updateCore();
    expect(task.state, `${task.last_error}\n${site.logs()}`).toBe("succeeded");
    const log = await taskLogText(s, task.id);
    expect(log).toContain(`WordPress ${original} running before the update`);
    expect(await site.coreVersion()).toBe(good);
    expect(await home()).toBe(200);
    expect((await history())[0]).toMatchObject({
      outcome: "succeeded",
      type: "core",
      from: original,
      to: good,
    });
    // the task's refresh at its end read the new version
    const read = await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.reader });
    expect(read.body.info).toMatchObject({ core: good });
  }, 300_000);

  it("reinstalls the previous version when the new one breaks the site", async () => {
    site.updates.offerCore(broken);
    await refreshed();
    const task = await updateCore();
    expect(task.state).toBe("failed");
    // when it is not so, what the site's nginx and PHP said (a slow request's PHP stack)
    expect(task.last_error, site.logs()).toContain("the home page answers HTTP 500");
    expect(task.last_error, site.logs()).toContain(`rolled back to ${good}`);
    const log = await taskLogText(s, task.id);
    expect(log).toContain(`reinstalling WordPress ${good}`);
    expect(await site.coreVersion()).toBe(good);
    expect(await home()).toBe(200);
    expect((await history())[0]).toMatchObject({
      outcome: "rolled_back",
      type: "core",
      from: good,
      to: broken,
    });
    // the package came from the update API's offers, the previous release's among them
    expect(site.updates.requests).toContain(`/packages/wordpress-${good}.zip`);
    await until(() => hooks(fake, "cms").some((h) => h.subject === "Update rolled back: blog"));
  }, 300_000);

  it("refuses hostile versions on both sides of the wire, changing nothing", async () => {
    const target = {
      url: site.url,
      username: site.admin.user,
      password: site.admin.applicationPassword,
    };
    const options = { policy: cmsPolicy(s.svc.settings) };
    const asked = site.updates.requests.length;
    for (const version of BAD_CMS_VERSIONS) {
      // the panel's client: refused by the contracts validator, nothing sent
      await expect(
        reinstallCore(target, options, version),
        JSON.stringify(version),
      ).rejects.toThrow(/^version: /);
      // the connector: refused before WordPress does anything
      const answer = await reinstall({ type: "core", version });
      expect(answer.status, JSON.stringify(version)).toBe(400);
      expect(((await answer.json()) as { code: string }).code).toBe("rest_invalid_param");
    }
    expect((await reinstall({ type: "plugin", version: good })).status).toBe(400);
    expect((await reinstall({ type: "core" })).status).toBe(400);
    expect(site.updates.requests.length).toBe(asked);
    // a version the update API does not offer: 409, nothing installed
    const unknown = await reinstall({ type: "core", version: "9.9.9" });
    expect(unknown.status).toBe(409);
    expect(((await unknown.json()) as { message: string }).message).toContain("does not offer");
    expect(site.updates.requests.some((p) => p.includes("9.9.9"))).toBe(false);
    expect(await site.coreVersion()).toBe(good);
    expect(await home()).toBe(200);
  }, 120_000);

  it("waits for an update its site's gateway gave up on, and for the rollback's reinstall", async () => {
    // nginx answers 504 after 2 s of PHP's silence, and PHP goes on; a package takes 4 s to come
    await site.gatewayTimeout(2);
    site.updates.delayPackages(4_000);
    try {
      site.updates.offerCore(later);
      await refreshed();
      const done = await updateCore();
      expect(done.state, done.last_error ?? "").toBe("succeeded");
      const log = await taskLogText(s, done.id);
      expect(log).toContain("the update failed: the site answered HTTP 504");
      expect(log).toContain("waiting until the site is done");
      expect(log).toContain(`now at ${later}`);
      expect(await site.coreVersion()).toBe(later);
      expect((await history())[0]).toMatchObject({ outcome: "succeeded", from: good, to: later });

      site.updates.offerCore(worse);
      await refreshed();
      const task = await updateCore();
      expect(task.state).toBe("failed");
      expect(task.last_error).toContain("after the update the home page answers HTTP 500");
      expect(task.last_error).toContain(`rolled back to ${later}`);
      const rollback = await taskLogText(s, task.id);
      expect(rollback).toContain("the reinstall failed: the site answered HTTP 504");
      expect(await site.coreVersion()).toBe(later);
      expect(await home()).toBe(200);
      expect((await history())[0]).toMatchObject({
        outcome: "rolled_back",
        from: later,
        to: worse,
      });
    } finally {
      site.updates.delayPackages(0);
      await site.gatewayTimeout(null);
    }
  }, 300_000);
});
