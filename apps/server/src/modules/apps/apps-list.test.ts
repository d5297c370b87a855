// The apps list on both dialects (docs/apps.md#the-list): pages newest first with keyset cursors,
// each filter (account, node, status, source, part of the name) alone and together, what each
// kind of caller sees (every app for a super user, its accounts' for others, never another
// account's, not even by naming the account), hostile values refused naming the parameter, and
// an account's 501st app refused (its apps counted, not read).
// Apps are made through the API on trusted nodes without agents (their deploy tasks wait: no
// worker runs); the statuses a deploy or an action would set are written as they would be.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { countOfAccount, deleteApp, insertApp, updateApp } from "./repo.ts";
import { MAX_PER_ACCOUNT } from "./service.ts";

const IMAGE = "localhost/steward-httpd:latest";

describe.each(dialects())("the apps list on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s, { trustedNode: "list-one" });
  /** account A's apps, oldest first */
  const made: { id: string; name: string }[] = [];
  let other = "";
  let two = "";
  const api = (url: string, key = w.keys.super) => s.request("GET", url, { key });
  const names = async (url: string, key = w.keys.super) => {
    const res = await api(url, key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as { name: string }[]).map((a) => a.name);
  };
  const create = async (path: string, body: Record<string, unknown>, key = w.keys.accountAdmin) => {
    const res = await s.request("POST", `/api/v1/apps${path}`, { key, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string };
  };

  beforeAll(async () => {
    two = await trustedNode(s, "list-two");
    const quick = (name: string, node: string) => ({ account: w.a, node, name, image: IMAGE });
    made.push(await create("", quick("web", w.node)));
    made.push(await create("", quick("api", w.node)));
    made.push(await create("", quick("web-admin", two)));
    made.push(
      await create("/compose", {
        account: w.a,
        node: two,
        name: "stack",
        compose: `services:\n  web:\n    image: ${IMAGE}\n`,
      }),
    );
    made.push(
      await create("/git", {
        account: w.a,
        node: w.node,
        name: "shop",
        git: { url: "https://93.184.216.34/acme/shop.git", ref: "main" },
        ports: [{ container: 8080 }],
      }),
    );
    // account B's app, of the same image on the same node
    other = (await create("", { ...quick("web", w.node), account: w.b }, w.keys.otherAdmin)).id;
    const k = s.svc.db.db;
    await updateApp(k, made[0]?.id ?? "", { status: "running" });
    await updateApp(k, made[1]?.id ?? "", { status: "stopped" });
    await updateApp(k, made[2]?.id ?? "", { status: "failed", last_error: "pull failed" });
  });

  it("pages newest first with the cursor it answers, to the end", async () => {
    const seen: string[] = [];
    let url = `/api/v1/apps?account=${w.a}&limit=2`;
    for (let i = 0; i < 5; i++) {
      const res = await api(url);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((a: { name: string }) => a.name));
      if (res.body.nextCursor === null) break;
      url = `/api/v1/apps?account=${w.a}&limit=2&cursor=${res.body.nextCursor}`;
    }
    expect(seen).toEqual(made.map((a) => a.name).reverse());
    // a super user without an account sees every account's apps; B's "web" keeps its name
    // though A has a "web" on the node (nothing of A's shows in B's)
    expect(await names("/api/v1/apps")).toEqual(["web", ...seen]);
  });

  it("names apps per account; the node's runtime names are the name and six characters of the id", async () => {
    const read = async (id: string, key: string) => {
      const res = await s.request("GET", `/api/v1/apps/${id}`, { key });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { name: string; runtimeName: string };
    };
    const mine = await read(made[0]?.id ?? "", w.keys.accountAdmin);
    const theirs = await read(other, w.keys.otherAdmin);
    expect([mine.name, theirs.name]).toEqual(["web", "web"]);
    expect(mine.runtimeName).toBe(`web-${made[0]?.id.slice(-6)}`);
    expect(theirs.runtimeName).toBe(`web-${other.slice(-6)}`);
    // the account's own second "web" on the node is suffixed, as before
    const again = await create("", { account: w.a, node: w.node, name: "web", image: IMAGE });
    expect(again.name).toBe("web-2");
    await deleteApp(s.svc.db.db, again.id); // out of the next tests' lists
  });

  it("filters by node, status, source and part of the name, alone and together", async () => {
    const list = (q: string) => names(`/api/v1/apps?account=${w.a}&${q}`, w.keys.reader);
    expect(await list(`node=${two}`)).toEqual(["stack", "web-admin"]);
    expect(await list("status=running")).toEqual(["web"]);
    expect(await list("status=stopped")).toEqual(["api"]);
    expect(await list("status=failed")).toEqual(["web-admin"]);
    expect(await list("status=deploying")).toEqual(["shop", "stack"]);
    expect(await list("source=image")).toEqual(["web-admin", "api", "web"]);
    expect(await list("source=compose")).toEqual(["stack"]);
    expect(await list("source=git")).toEqual(["shop"]);
    expect(await list("q=WEB")).toEqual(["web-admin", "web"]);
    expect(await list("q=b-a")).toEqual(["web-admin"]);
    expect(await list("q=%25")).toEqual([]);
    expect(await list(`node=${w.node}&source=image`)).toEqual(["api", "web"]);
    expect(await list(`node=${two}&status=running`)).toEqual([]);
    // the answer says what each app is, as its own page does
    const one = await api(`/api/v1/apps?source=git&limit=1`, w.keys.reader);
    expect(one.body.items[0]).toMatchObject({ name: "shop", source: "git", deployments: [] });
    expect(one.body.items[0].git.url).toBe("https://93.184.216.34/acme/shop.git");
    // a filtered page's cursor keeps the filter
    const first = await api(`/api/v1/apps?node=${w.node}&limit=1`, w.keys.accountAdmin);
    expect(first.body.items.map((a: { name: string }) => a.name)).toEqual(["shop"]);
    const next = await names(
      `/api/v1/apps?node=${w.node}&limit=5&cursor=${first.body.nextCursor}`,
      w.keys.accountAdmin,
    );
    expect(next).toEqual(["api", "web"]);
  });

  it("never lists another account's apps, nor says they exist", async () => {
    const mine = made.map((a) => a.name).reverse();
    expect(await names("/api/v1/apps", w.keys.reader)).toEqual(mine);
    expect(await names(`/api/v1/apps?node=${w.node}&q=web`, w.keys.accountAdmin)).toEqual(["web"]);
    const theirs = await api("/api/v1/apps", w.keys.otherAdmin);
    expect(theirs.body.items.map((a: { id: string }) => a.id)).toEqual([other]);
    expect(await names("/api/v1/apps", w.keys.noGrant)).toEqual([]);
    for (const key of [w.keys.otherAdmin, w.keys.noGrant]) {
      const refused = await api(`/api/v1/apps?account=${w.a}&status=running`, key);
      expect(refused.status).toBe(404);
      expect(JSON.stringify(refused.body)).not.toContain("web");
    }
    const asked = await api(`/api/v1/apps?account=${w.b}`, w.keys.accountAdmin);
    expect(asked.status).toBe(404);
  });

  it("refuses hostile values naming the parameter", async () => {
    const cases: [string, string][] = [
      ["status=up", "querystring.status"],
      ["status=running%27%3B--", "querystring.status"],
      ["source=docker", "querystring.source"],
      ["node=x%27%3B%20--", "querystring.node"],
      ["node=..%2Fetc", "querystring.node"],
      ["account=%60id%60", "querystring.account"],
      [`q=a%0Ab`, "querystring.q"],
      [`q=a%00b`, "querystring.q"],
      [`q=${"x".repeat(101)}`, "querystring.q"],
      ["limit=0", "querystring.limit"],
      ["limit=201", "querystring.limit"],
      ["cursor=a%3Bb", "querystring.cursor"],
      ["cursor=zzzz'", "querystring.cursor"],
      ["sort=name", "querystring"],
    ];
    for (const [query, field] of cases) {
      const res = await api(`/api/v1/apps?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
    }
  });

  it("refuses an account's app past its limit, creating nothing", async () => {
    const k = s.svc.db.db;
    const have = await countOfAccount(k, w.b);
    for (let i = have; i < MAX_PER_ACCOUNT; i++)
      await insertApp(k, {
        id: `app_limit${String(i).padStart(20, "0")}`,
        account_id: w.b,
        node_id: two,
        name: `filler-${i}`,
        runtime_name: `filler-${i}`,
        image: IMAGE,
        source: "image",
        spec: "{}",
        secrets_sealed: null,
        published: "[]",
        status: "stopped",
        last_error: null,
        task_id: null,
        domain: null,
        site_id: null,
        created_at: 0,
        updated_at: 0,
      });
    const res = await s.request("POST", "/api/v1/apps", {
      key: w.keys.otherAdmin,
      body: { account: w.b, node: two, name: "one-more", image: IMAGE },
    });
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.body)).toContain(`at most ${MAX_PER_ACCOUNT} apps`);
    expect(await countOfAccount(k, w.b)).toBe(MAX_PER_ACCOUNT);
  });
});
