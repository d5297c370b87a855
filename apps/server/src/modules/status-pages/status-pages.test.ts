// Status pages on both dialects: an account admin's CRUD and incidents (audited; only the
// account's own monitors; a unique slug; others see nothing), and the public page: only the
// listed monitors' public names, states and bars, never targets, the account or other monitors;
// hostile names and incident bodies inert; an unknown slug a bare 404; a burst of a thousand
// requests one database read; an ETag; a change seen at once.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { createPublicStatus } from "./public.ts";

const SCRIPT = '<script>alert("x")</script>';

describe.each(dialects())("status pages on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  const monitor = async (key: string, account: string, name: string, url: string) => {
    const made = await s.request("POST", "/api/v1/monitors", {
      key,
      body: { name, account, settings: { kind: "http", url }, paused: true },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.id as string;
  };
  let slug = "";
  let pageId = "";
  let shown = "";
  let hidden = "";

  it("lets an account admin manage its pages and incidents, only with its own monitors", async () => {
    const admin = w.keys.accountAdmin;
    shown = await monitor(admin, w.a, "shop internal name", "https://shop-secret.example.com/h");
    hidden = await monitor(admin, w.a, "hidden monitor", "https://hidden.example.com/");
    const theirs = await monitor(w.keys.otherAdmin, w.b, "theirs", "https://b.example.com/");
    slug = `shop-${w.unique()}`;
    const body = {
      account: w.a,
      slug,
      title: `Shop ${SCRIPT}`,
      description: "All our services.\nUpdated live.",
      monitors: [{ monitor: shown, name: `Web shop ${SCRIPT}` }],
    };
    const refused = await s.request("POST", "/api/v1/status-pages", {
      key: admin,
      body: { ...body, monitors: [{ monitor: shown }, { monitor: theirs }] },
    });
    expect([refused.status, refused.body.error.details?.[0]?.field]).toEqual([
      400,
      "monitors.1.monitor",
    ]);
    const made = await s.request("POST", "/api/v1/status-pages", { key: admin, body });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      accountId: w.a,
      slug,
      publicPath: `/status/${slug}`,
      monitors: [{ monitorId: shown, name: `Web shop ${SCRIPT}` }],
    });
    pageId = made.body.id;
    const again = await s.request("POST", "/api/v1/status-pages", { key: admin, body });
    expect([again.status, again.body.error.details?.[0]?.field]).toEqual([409, "slug"]);
    for (const key of [w.keys.reader, w.keys.otherAdmin])
      expect((await s.request("GET", `/api/v1/status-pages/${pageId}`, { key })).status).toBe(404);
    const list = await s.request("GET", "/api/v1/status-pages", { key: w.keys.otherAdmin });
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(pageId);
    const mine = await s.request("GET", "/api/v1/status-pages", { key: admin });
    expect(mine.body.items.map((p: { id: string }) => p.id)).toContain(pageId);

    const incident = await s.request("POST", `/api/v1/status-pages/${pageId}/incidents`, {
      key: admin,
      body: {
        title: `Slow checkout ${SCRIPT}`,
        body: `We are **on it**.\n\n${SCRIPT}\n\n[more](javascript:alert(1))`,
        severity: "major",
      },
    });
    expect(incident.status, JSON.stringify(incident.body)).toBe(201);
    const resolved = await s.request(
      "PATCH",
      `/api/v1/status-pages/${pageId}/incidents/${incident.body.id}`,
      { key: admin, body: { resolvedAt: "2030-01-01T00:00:00Z" } },
    );
    expect(resolved.body).toMatchObject({
      severity: "major",
      resolvedAt: "2030-01-01T00:00:00.000Z",
    });
    const incidents = await s.request("GET", `/api/v1/status-pages/${pageId}/incidents`, {
      key: admin,
    });
    expect(incidents.body.map((i: { id: string }) => i.id)).toEqual([incident.body.id]);
    const audit = await s.svc.db.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", pageId)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "status_page.create",
      "status_page.incident",
      "status_page.incident",
    ]);
  });

  it("publishes only the listed monitors' public names, states and bars; hostile text inert", async () => {
    const html = await s.request("GET", `/status/${slug}`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html.headers.get("set-cookie")).toBeNull();
    const text = String(html.body);
    expect(text).toContain("Web shop &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(text).toContain("Slow checkout &lt;script&gt;");
    // the incident's body is Markdown: formatting rendered, a javascript: link left as text
    expect(text).toContain("<strong>on it</strong>");
    expect(text).toContain("[more](javascript:alert(1))");
    expect(text).not.toMatch(/href="javascript/i);
    expect(text).not.toMatch(/<script/i);
    for (const secret of [
      "shop-secret",
      "internal",
      "hidden.example",
      "hidden monitor",
      shown,
      hidden,
      w.a,
    ])
      expect(text).not.toContain(secret);
    expect(text.match(/<li /g)).toHaveLength(90);

    const json = await s.request("GET", `/status/${slug}.json`);
    expect(json.body).toMatchObject({
      title: `Shop ${SCRIPT}`,
      monitors: [{ name: `Web shop ${SCRIPT}`, state: "paused", uptime90d: null }],
      incidents: [{ title: `Slow checkout ${SCRIPT}`, severity: "major" }],
    });
    expect(json.body.monitors[0].days).toHaveLength(90);
    expect(JSON.stringify(json.body)).not.toMatch(/shop-secret|hidden|internal/);

    for (const unknown of ["no-such-page", "no-such-page.json"]) {
      const missing = await s.request("GET", `/status/${unknown}`);
      expect([missing.status, missing.body]).toEqual([404, "Not found"]);
    }
    for (const hostile of [encodeURIComponent(SCRIPT), "..%2F..%2Fetc", "UPPER", "api"]) {
      const bad = await s.request("GET", `/status/${hostile}`);
      expect([bad.status, bad.body.error?.details?.[0]?.field]).toEqual([400, "params.slug"]);
    }
  });

  it("answers a burst from one read per TTL, with an ETag, and shows a change at once", async () => {
    // a thousand requests at once within one TTL: one read
    const cache = createPublicStatus({ db: s.svc.db, now: () => 1_000_000 });
    const answers = await Promise.all(Array.from({ length: 1000 }, () => cache.get(slug)));
    expect(cache.loads()).toBe(1);
    expect(new Set(answers.map((a) => a?.etag)).size).toBe(1);
    // through HTTP, a burst after the first read reads nothing more
    await s.request("GET", `/status/${slug}`);
    const before = s.svc.publicStatus.loads();
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        s.request("GET", `/status/${slug}${i % 2 ? ".json" : ""}`),
      ),
    );
    expect(burst.every((r) => r.status === 200)).toBe(true);
    expect(s.svc.publicStatus.loads()).toBe(before);
    const etag = burst[0]?.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await s.request("GET", `/status/${slug}`, {
      headers: { "if-none-match": etag },
    });
    expect(unchanged.status).toBe(304);

    const changed = await s.request("PATCH", `/api/v1/status-pages/${pageId}`, {
      key: w.keys.accountAdmin,
      body: { title: "Shop status" },
    });
    expect(changed.status).toBe(200);
    const fresh = await s.request("GET", `/status/${slug}`, { headers: { "if-none-match": etag } });
    expect(fresh.status).toBe(200);
    expect(String(fresh.body)).toContain("<title>Shop status</title>");
    expect(s.svc.publicStatus.loads()).toBe(before + 1);

    expect(
      (await s.request("DELETE", `/api/v1/status-pages/${pageId}`, { key: w.keys.accountAdmin }))
        .status,
    ).toBe(204);
    expect((await s.request("GET", `/status/${slug}`)).status).toBe(404);
  });
});
