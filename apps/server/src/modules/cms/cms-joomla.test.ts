// Joomla sites against testkit's strict recording fake (Joomla is not installable here: its
// client is built from the documented Web Services API and the Panopticon connector's routes):
// each diagnostic case produced (API folder blocked, a WAF, a wrong token, no connector,
// Akeeba Backup and Admin Tools missing), versions and extensions read, an extension update
// applied, then the tools: unblock, firewall off and on, temporary Super User, the file change
// scanner, and Akeeba Backup's take, list, download, delete files and delete record, with the
// seed's roles (self-service may take backups, scan and unblock; not download or delete).
import { type JoomlaFake, type JoomlaFakeExtension, startJoomlaFake } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const TOKEN = "c2hhMjU2OjQyOjBmZDlmZTg2YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODk=";
const ext = (
  extension_id: number,
  element: string,
  type: JoomlaFakeExtension["type"],
  version: string,
  new_version: string | null = null,
  folder = "",
): JoomlaFakeExtension => ({
  extension_id,
  name: element,
  type,
  element,
  folder,
  client_id: 1,
  enabled: 1,
  version,
  new_version,
});
const EXTENSIONS = () => [
  ext(10, "pkg_panopticon", "package", "1.2.0"),
  ext(11, "pkg_akeebabackup", "package", "9.9.1"),
  ext(12, "pkg_admintools", "package", "7.5.0"),
  ext(13, "com_acme", "component", "2.0.0", "2.1.0"),
  ext(14, "cache", "plugin", "5.1.0", null, "system"),
];

const fakes: JoomlaFake[] = [];
const fake = async (options: Partial<Parameters<typeof startJoomlaFake>[0]> = {}) => {
  const f = await startJoomlaFake({
    token: TOKEN,
    core: { current: "5.1.0", latest: "5.1.2" },
    extensions: EXTENSIONS(),
    connector: true,
    adminTools: true,
    akeeba: { secret: "s3cr3t-w0rd", steps: 2, archiveBytes: 2_500_000 },
    ...options,
  });
  fakes.push(f);
  return f;
};
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.stop()));
});

describe("Joomla sites against the recording fake", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let joomla: JoomlaFake;
  let id = "";
  const add = (name: string, url: string, body: Record<string, unknown> = {}) =>
    s.request("POST", "/api/v1/cms-sites", {
      key: w.keys.accountAdmin,
      body: {
        account: w.a,
        name,
        kind: "joomla",
        url,
        username: "admin",
        apiToken: TOKEN,
        ...body,
      },
    });
  const codes = (d: { problems: { code: string }[] }) => d.problems.map((p) => p.code);
  const settled = async (res: { status: number; body: { taskId: string } }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const task = await settleTask(s, res.body.taskId, 30_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    return task;
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    joomla = await fake();
  });

  it("adds a Joomla site: diagnosed clean, the token only ever in X-Joomla-Token", async () => {
    const made = await add("portal", joomla.url);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ kind: "joomla", diagnosis: { ok: true, problems: [] } });
    expect(JSON.stringify(made.body)).not.toContain(TOKEN);
    id = made.body.id;
    const first = joomla.requests[0];
    expect(first).toMatchObject({
      path: "/api/index.php/v1/extensions",
      credential: "none",
      status: 401,
    });
    expect(joomla.requests.slice(1).every((r) => r.credential === "token")).toBe(true);
  });

  it("refuses a Joomla site without a token, or with an application password", async () => {
    const none = await add("x1", joomla.url, { apiToken: undefined });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain("apiToken");
    const both = await add("x2", joomla.url, {
      applicationPassword: "abcd efgh ijkl mnop qrst uvwx",
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain("applicationPassword");
    for (const bad of ["tok'en;--", "a\u0000bcdefghijklmnopqrstuvwxyz", "x".repeat(400), "short"]) {
      const res = await add("x3", joomla.url, { apiToken: bad });
      expect(res.status, bad).toBe(400);
      expect(JSON.stringify(res.body)).toContain("apiToken");
    }
  });

  it("produces each diagnostic case", async () => {
    const cases: [string, Parameters<typeof fake>[0], string[]][] = [
      ["api-blocked", { apiEnabled: false }, ["api-missing"]],
      ["waf", { blockUserAgent: /Steward/ }, ["forbidden"]],
      ["no-connector", { connector: false }, ["connector-missing"]],
      [
        "bare",
        { akeeba: undefined, adminTools: false, extensions: [] },
        ["akeeba-missing", "admintools-missing"],
      ],
    ];
    for (const [name, options, expected] of cases) {
      const f = await fake(options);
      const res = await add(name, f.url);
      expect(codes(res.body.diagnosis), name).toEqual(expected);
    }
    const wrong = await add("wrong-token", joomla.url, { apiToken: `${TOKEN.slice(0, -4)}AAA=` });
    expect(codes(wrong.body.diagnosis)).toEqual(["unauthorized"]);
    expect(wrong.body.diagnosis.problems[0].fix).toContain("Joomla API Token");
  });

  it("reads versions and extensions, and applies an extension update", async () => {
    await settled(
      await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, { key: w.keys.operator }),
    );
    const got = (await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.reader })).body;
    expect(got).toMatchObject({ coreVersion: "5.1.0", updatesAvailable: 2 });
    expect(got.info.connector).toBe("1.2.0");
    const slugs = got.info.extensions.map((e: { slug: string }) => e.slug);
    expect(slugs).toContain("plg_system_cache");
    const offers = (
      await s.request("GET", `/api/v1/cms-sites/${id}/updates`, { key: w.keys.reader })
    ).body;
    expect(offers.items).toEqual([
      { type: "core", slug: "", name: "Joomla", from: "5.1.0", to: "5.1.2" },
      { type: "extension", slug: "com_acme", name: "com_acme", from: "2.0.0", to: "2.1.0" },
    ]);
    const asPlugin = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "plugin", slug: "com_acme" },
    });
    expect(asPlugin.status).toBe(400);
    const task = await settled(
      await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
        key: w.keys.accountAdmin,
        body: { type: "extension", slug: "com_acme" },
      }),
    );
    expect(await taskLogText(s, task.id)).toContain("2.0.0 → 2.1.0");
    expect(joomla.requests.find((r) => r.path.endsWith("/panopticon/update"))?.body).toEqual({
      eid: [13],
    });
    expect(joomla.extensions.find((e) => e.extension_id === 13)?.version).toBe("2.1.0");
    // the safe update took an Akeeba Backup first (record 1; safe-update-joomla.test.ts)
    expect(joomla.akeeba.records.map((r) => r.description)).toEqual([
      "Steward: before updating extension com_acme 2.0.0 → 2.1.0",
    ]);
  });

  it("shows the fleet's extensions: who runs X at which version, what is outdated", async () => {
    const runs = await s.request("GET", "/api/v1/cms-extensions?slug=com_acme", {
      key: w.keys.reader,
    });
    expect(runs.status, JSON.stringify(runs.body)).toBe(200);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ siteId: id, siteName: "portal", version: "2.1.0", update: null }),
    ]);
    const outdated = await s.request("GET", `/api/v1/cms-extensions?account=${w.a}&outdated=true`, {
      key: w.keys.reader,
    });
    const items = outdated.body.items as { siteId: string; slug: string; update: string | null }[];
    expect(items.every((i) => i.update !== null)).toBe(true);
    expect(items.filter((i) => i.siteId === id).map((i) => i.slug)).toEqual(["joomla"]);
    const page = await s.request("GET", `/api/v1/cms-extensions?account=${w.a}&limit=2`, {
      key: w.keys.reader,
    });
    expect(page.body.items).toHaveLength(2);
    const next = await s.request(
      "GET",
      `/api/v1/cms-extensions?account=${w.a}&limit=50&cursor=${page.body.nextCursor}`,
      { key: w.keys.reader },
    );
    expect(next.body.items.length).toBeGreaterThan(0);
    const ids = [...page.body.items, ...next.body.items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const other = await s.request("GET", "/api/v1/cms-extensions?slug=com_acme", {
      key: w.keys.otherAdmin,
    });
    expect(other.body.items).toEqual([]);
    const otherAccount = await s.request("GET", `/api/v1/cms-extensions?account=${w.a}`, {
      key: w.keys.otherAdmin,
    });
    expect(otherAccount.status).toBe(404);
  });

  it("unblocks an IP (self-service), refusing hostile values before any request", async () => {
    joomla.adminTools.blocked.push("203.0.113.9");
    const before = joomla.requests.length;
    for (const ip of [
      "203.0.113.9; rm",
      "1.2.3",
      "0177.0.0.1",
      "::1%eth0",
      "a\nb",
      "x".repeat(60),
      "",
    ]) {
      const res = await s.request("POST", `/api/v1/cms-sites/${id}/unblock`, {
        key: w.keys.operator,
        body: { ip },
      });
      expect(res.status, ip).toBe(400);
      expect(JSON.stringify(res.body)).toContain("ip");
    }
    expect(joomla.requests.length).toBe(before);
    const reader = await s.request("POST", `/api/v1/cms-sites/${id}/unblock`, {
      key: w.keys.reader,
      body: { ip: "203.0.113.9" },
    });
    expect(reader.status).toBe(403);
    const other = await s.request("POST", `/api/v1/cms-sites/${id}/unblock`, {
      key: w.keys.otherAdmin,
      body: { ip: "203.0.113.9" },
    });
    expect(other.status).toBe(404);
    const ok = await s.request("POST", `/api/v1/cms-sites/${id}/unblock`, {
      key: w.keys.operator,
      body: { ip: "203.0.113.9" },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(204);
    expect(joomla.adminTools.blocked).toEqual([]);
  });

  it("switches the firewall off and on, and makes a temporary Super User (admins only)", async () => {
    const off = await s.request("POST", `/api/v1/cms-sites/${id}/firewall`, {
      key: w.keys.operator,
      body: { enabled: false },
    });
    expect(off.status).toBe(403);
    for (const enabled of [false, true]) {
      const res = await s.request("POST", `/api/v1/cms-sites/${id}/firewall`, {
        key: w.keys.accountAdmin,
        body: { enabled },
      });
      expect(res.body).toEqual({ enabled });
      expect(joomla.adminTools.firewall).toBe(enabled);
    }
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    for (const bad of [
      "tomorrow",
      new Date(Date.now() - 1000).toISOString(),
      new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ]) {
      const res = await s.request("POST", `/api/v1/cms-sites/${id}/temporary-admin`, {
        key: w.keys.accountAdmin,
        body: { expiresAt: bad },
      });
      expect(res.status, bad).toBe(400);
    }
    const made = await s.request("POST", `/api/v1/cms-sites/${id}/temporary-admin`, {
      key: w.keys.accountAdmin,
      body: { expiresAt },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ username: expect.stringMatching(/^temp-su-/), expiresAt });
    expect(joomla.adminTools.tempUsers).toEqual([
      expect.objectContaining({ expiration: expiresAt }),
    ]);
    const audit = await s.request("GET", `/api/v1/audit?action=cms_site.temporary_admin`, {
      key: w.keys.super,
    });
    expect(JSON.stringify(audit.body)).not.toContain(made.body.password);
  });

  it("runs the file change scanner and lists what it found", async () => {
    joomla.adminTools.nextFindings.push({
      path: "media/evil.php",
      status: "new",
      threat_score: 120,
      diff: "+<?php eval(",
    });
    await settled(
      await s.request("POST", `/api/v1/cms-sites/${id}/scan`, { key: w.keys.operator }),
    );
    const scans = (await s.request("GET", `/api/v1/cms-sites/${id}/scans`, { key: w.keys.reader }))
      .body;
    expect(scans.items).toEqual([
      expect.objectContaining({ id: 1, status: "complete", filesNew: 1 }),
    ]);
    const alerts = (
      await s.request("GET", `/api/v1/cms-sites/${id}/scans/1`, { key: w.keys.reader })
    ).body;
    expect(alerts.items).toEqual([
      expect.objectContaining({ path: "media/evil.php", threatScore: 120 }),
    ]);
    const one = (
      await s.request("GET", `/api/v1/cms-sites/${id}/scan-alerts/${alerts.items[0].id}`, {
        key: w.keys.reader,
      })
    ).body;
    expect(one.diff).toBe("+<?php eval(");
    for (const bad of ["0", "-1", "1;2", "a..b", "99999999999"]) {
      const res = await s.request(
        "GET",
        `/api/v1/cms-sites/${id}/scans/${encodeURIComponent(bad)}`,
        { key: w.keys.reader },
      );
      expect(res.status, bad).toBe(400);
    }
  });

  it("takes, lists, downloads and deletes Akeeba backups", async () => {
    const bad = await s.request("POST", `/api/v1/cms-sites/${id}/backups`, {
      key: w.keys.operator,
      body: { profile: "1; DROP" },
    });
    expect(bad.status).toBe(400);
    const task = await settled(
      await s.request("POST", `/api/v1/cms-sites/${id}/backups`, {
        key: w.keys.operator,
        body: { profile: 1, description: "before the update" },
      }),
    );
    expect(await taskLogText(s, task.id)).toContain("complete");
    const listed = (
      await s.request("GET", `/api/v1/cms-sites/${id}/backups`, { key: w.keys.reader })
    ).body;
    expect(listed.profiles).toEqual([{ id: 1, name: "Default Backup Profile" }]);
    // record 1 is the one the extension update took before it
    expect(listed.records).toEqual([
      expect.objectContaining({
        id: 2,
        description: "before the update",
        status: "complete",
        filesExist: true,
        size: 2_500_000,
      }),
      expect.objectContaining({ id: 1, description: expect.stringContaining("Steward: before") }),
    ]);
    const secretSeen = joomla.requests.filter((r) => r.path === "/index.php");
    expect(secretSeen.length).toBeGreaterThan(3);
    expect(JSON.stringify(secretSeen.map((r) => r.body))).not.toContain("s3cr3t");
    const asOperator = await fetch(`${s.url}/api/v1/cms-sites/${id}/backups/2/download`, {
      headers: { authorization: `Bearer ${w.keys.operator}` },
    });
    expect(asOperator.status).toBe(403);
    const download = await fetch(`${s.url}/api/v1/cms-sites/${id}/backups/2/download`, {
      headers: { authorization: `Bearer ${w.keys.accountAdmin}` },
    });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(Buffer.alloc(2_500_000, "JPA-2-"))).toBe(true);
    const files = await s.request("DELETE", `/api/v1/cms-sites/${id}/backups/2/files`, {
      key: w.keys.accountAdmin,
    });
    expect(files.status).toBe(204);
    expect(joomla.akeeba.records.find((r) => r.id === 2)?.filesexist).toBe(false);
    const record = await s.request("DELETE", `/api/v1/cms-sites/${id}/backups/2`, {
      key: w.keys.accountAdmin,
    });
    expect(record.status).toBe(204);
    expect(joomla.akeeba.records.map((r) => r.id)).toEqual([1]);
    const gone = await s.request("DELETE", `/api/v1/cms-sites/${id}/backups/2`, {
      key: w.keys.accountAdmin,
    });
    expect(gone.status).toBe(409);
  });
});
