// Who sees and changes which channels: an account's admins manage its channels, its readers
// list them, installation-wide ones are the super users' (and may reach private addresses, an
// account's may not), and nothing of another account shows, not even in an error.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";

const CHANNELS = "/api/v1/notification-channels";
const hook = (url: string) => ({ kind: "webhook", url, secret: "whsec_0123456789abcdef" });

describe.each(dialects())("notification channel access on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let onA: string;
  let onB: string;
  let installation: string;
  const create = async (key: string, body: Record<string, unknown>) =>
    s.request("POST", CHANNELS, { key, body });

  beforeAll(async () => {
    const a = await create(w.keys.accountAdmin, {
      name: "a-hook",
      account: w.a,
      settings: hook("https://hooks.example.com/a"),
    });
    const b = await create(w.keys.otherAdmin, {
      name: "secret project b",
      account: w.b,
      settings: hook("https://hooks.example.com/b"),
    });
    // an installation-wide channel may reach the LAN (a super user decided)
    const i = await create(w.keys.super, {
      name: "lan-hook",
      settings: hook("http://10.0.0.5/hook"),
    });
    expect([a.status, b.status, i.status]).toEqual([201, 201, 201]);
    [onA, onB, installation] = [a.body.id, b.body.id, i.body.id];
  });

  const ids = async (key: string, query = "") =>
    (await s.request("GET", `${CHANNELS}${query}`, { key })).body.items.map(
      (c: { id: string }) => c.id,
    );

  it("lists to each caller only the channels it may read", async () => {
    expect((await ids(w.keys.super)).sort()).toEqual([onA, onB, installation].sort());
    expect(await ids(w.keys.accountAdmin)).toEqual([onA]);
    expect(await ids(w.keys.reader)).toEqual([onA]);
    expect(await ids(w.keys.otherAdmin)).toEqual([onB]);
    expect(await ids(w.keys.noGrant)).toEqual([]);
    expect(await ids(w.keys.accountAdmin, `?account=${w.b}`)).toEqual([]);
    expect(await ids(w.keys.super, "?kind=webhook&q=lan")).toEqual([installation]);
  });

  it("answers another account's or the installation's channel as not found, naming nothing", async () => {
    for (const id of [onB, installation]) {
      for (const [method, path] of [
        ["GET", `${CHANNELS}/${id}`],
        ["PATCH", `${CHANNELS}/${id}`],
        ["DELETE", `${CHANNELS}/${id}`],
        ["POST", `${CHANNELS}/${id}/test`],
      ] as const) {
        const res = await s.request(method, path, {
          key: w.keys.accountAdmin,
          body: method === "PATCH" ? { name: "mine now" } : undefined,
        });
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect(JSON.stringify(res.body)).not.toContain("secret project b");
        expect(JSON.stringify(res.body)).not.toContain("lan-hook");
      }
    }
  });

  it("lets readers read but not change, test or delete; only super users make installation channels", async () => {
    const key = w.keys.reader;
    expect((await s.request("GET", `${CHANNELS}/${onA}`, { key })).status).toBe(200);
    const patch = { key, body: { enabled: false } };
    expect((await s.request("PATCH", `${CHANNELS}/${onA}`, patch)).status).toBe(403);
    expect((await s.request("POST", `${CHANNELS}/${onA}/test`, { key })).status).toBe(403);
    expect((await s.request("DELETE", `${CHANNELS}/${onA}`, { key })).status).toBe(403);
    const mine = { name: "mine", settings: hook("https://hooks.example.com/m") };
    expect((await create(w.keys.accountAdmin, mine)).status).toBe(403);
    expect((await create(w.keys.accountAdmin, { ...mine, account: w.b })).status).toBe(403);
    // a super user's key narrowed to reading reads the installation's, changes nothing
    const narrow = w.keys.narrowKey;
    expect((await s.request("GET", `${CHANNELS}/${installation}`, { key: narrow })).status).toBe(
      200,
    );
    const renamed = { key: narrow, body: { name: "x" } };
    expect((await s.request("PATCH", `${CHANNELS}/${installation}`, renamed)).status).toBe(403);
  });

  it("refuses private, loopback and link-local targets for an account; loopback and the panel for everyone", async () => {
    const refused = async (key: string, account: string | undefined, url: string) => {
      const res = await create(key, { name: `t-${w.unique()}`, account, settings: hook(url) });
      return [url, res.status, res.body.error?.details?.[0]?.field];
    };
    for (const url of ["http://10.0.0.5/x", "http://127.0.0.1/x", "http://169.254.169.254/x"])
      expect(await refused(w.keys.accountAdmin, w.a, url)).toEqual([url, 400, "settings.url"]);
    for (const url of ["http://127.0.0.1:8080/api/v1/me", "http://[fe80::1]/x"])
      expect(await refused(w.keys.super, undefined, url)).toEqual([url, 400, "settings.url"]);
    const moved = await s.request("PATCH", `${CHANNELS}/${onA}`, {
      key: w.keys.accountAdmin,
      body: { settings: { kind: "webhook", url: "http://192.168.1.1/" } },
    });
    expect([moved.status, moved.body.error.details[0].field]).toEqual([400, "settings.url"]);
  });
});
