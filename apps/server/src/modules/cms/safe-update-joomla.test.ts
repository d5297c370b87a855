// Joomla sites through the safe-update pipeline (docs/cms.md#safe-updates), against testkit's
// recording fake (Joomla is not installable here): the site's one `cms.upgrade` task takes an
// Akeeba Backup before an extension update, applies it through the Panopticon connector and
// records the outcome in the site's history; without Akeeba Backup the extension is not
// updated (failed, nothing changed on the site). Core updates: safe-update-joomla-core.test.ts.
import { type JoomlaFake, type JoomlaFakeExtension, startJoomlaFake } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetGap } from "../../testing/engine.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const TOKEN = "c2hhMjU2OjQyOjBmZDlmZTg2YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODk=";
const acme = (): JoomlaFakeExtension => ({
  extension_id: 13,
  name: "com_acme",
  type: "component",
  element: "com_acme",
  folder: "",
  client_id: 1,
  enabled: 1,
  version: "2.0.0",
  new_version: "2.1.0",
});

const fakes: JoomlaFake[] = [];
const fake = async (akeeba: boolean) => {
  const f = await startJoomlaFake({
    token: TOKEN,
    core: { current: "5.1.0", latest: "5.1.2" },
    extensions: [acme()],
    connector: true,
    adminTools: true,
    ...(akeeba ? { akeeba: { secret: "s3cr3t-w0rd", steps: 2, archiveBytes: 1000 } } : {}),
  });
  fakes.push(f);
  return f;
};
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.stop()));
});

describe("safe updates of Joomla sites", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
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
  const update = async (id: string, body: Record<string, unknown>) => {
    // two upgrades start 2 minutes apart: this test's need not wait
    await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
    const res = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return settleTask(s, res.body.taskId, 30_000);
  };
  const history = async (id: string) =>
    (await s.request("GET", `/api/v1/cms-sites/${id}/history`, { key: w.keys.reader })).body
      .items as { outcome: string; type: string; from: string; to: string; message: string }[];

  beforeAll(() => {
    s.svc.engine.startWorker();
  });

  it("takes an Akeeba Backup, then updates the extension in the site's upgrade task", async () => {
    const joomla = await fake(true);
    const id = await addSite("with-akeeba", joomla.url);
    const task = await update(id, { type: "extension", slug: "com_acme" });
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    expect(task.kind).toBe("cms.upgrade");
    const log = await taskLogText(s, task.id);
    expect(log).toContain("Akeeba Backup");
    expect(log).toContain("the home page answers HTTP 200");
    expect(joomla.akeeba.records.map((r) => r.description)).toEqual([
      "Steward: before updating extension com_acme 2.0.0 → 2.1.0",
    ]);
    // the backup came before the update
    const paths = joomla.requests.map((r) => r.path);
    expect(paths.indexOf("/index.php")).toBeLessThan(
      paths.findIndex((p) => p.endsWith("/panopticon/update")),
    );
    expect(joomla.extensions[0]?.version).toBe("2.1.0");
    expect((await history(id))[0]).toMatchObject({
      outcome: "succeeded",
      type: "extension",
      from: "2.0.0",
      to: "2.1.0",
    });
  });

  it("does not update an extension when no backup can be taken (no Akeeba Backup)", async () => {
    const joomla = await fake(false);
    const id = await addSite("bare", joomla.url);
    const task = await update(id, { type: "extension", slug: "com_acme" });
    expect(task.state).toBe("failed");
    expect(task.last_error).toContain("no restore point or backup could be made");
    expect(joomla.requests.some((r) => r.path.endsWith("/panopticon/update"))).toBe(false);
    expect(joomla.extensions[0]?.version).toBe("2.0.0");
    expect((await history(id))[0]).toMatchObject({
      outcome: "failed",
      from: "2.0.0",
      message: expect.stringContaining("Akeeba Backup Professional is not installed"),
    });
  });
});
