// The real `steward` CLI as a child process: certificates. Nothing orders them here (no
// worker, no agent, no CA): these tests are about what the CLI accepts, writes and prints.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { startCloudflareFake, testChain } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { type Cli, cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface CertJson {
  id: string;
  siteId: string;
  names: string[];
  keyType: string;
  state: string;
  hsts: boolean;
  serial: string | null;
  taskId: string;
}

function sqlite(c: Cli, sql: string, ...args: string[]) {
  const db = new DatabaseSync(join(c.dataDir, "steward.db"));
  try {
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

describe("steward cert", () => {
  it("asks for a site's certificate, lists, shows and renews it", async () => {
    const c = cliFor();
    const node = await c.json<{ id: string }>([
      ...["node", "add", "--name", "web-1", "--agent-url", "https://10.0.0.5:7443"],
    ]);
    sqlite(c, "UPDATE nodes SET state = 'trusted' WHERE id = ?", node.id);
    const site = await c.json<{ id: string }>([
      ...["site", "add", "--node", "web-1", "--domain", "shop.example.com"],
      ...["--alias", "old-shop.example.com"],
    ]);
    const added = await c.json<CertJson>([
      ...["cert", "add", "--site", site.id, "--key-type", "rsa-2048", "--hsts"],
    ]);
    expect(added).toMatchObject({
      siteId: site.id,
      names: ["shop.example.com", "old-shop.example.com"],
      keyType: "rsa-2048",
      hsts: true,
      state: "pending",
      serial: null,
    });
    const task = await c.json<{ kind: string; state: string }>(["task", "show", added.taskId]);
    expect(task).toMatchObject({ kind: "certificate.issue", state: "queued" });

    const [list, human, shown] = await Promise.all([
      c.json<Page<CertJson>>(["cert", "list", "--sort", "expires"]),
      c.ok(["cert", "list", "--state", "pending"]),
      c.json<CertJson>(["cert", "show", added.id]),
    ]);
    expect(list.items.map((x) => x.id)).toEqual([added.id]);
    expect(human).toMatch(/^ID\s+NAME\s+STATE\s+NOTAFTER\s+DAYSLEFT\s+LASTERROR\n/);
    expect(human).toMatch(new RegExp(`\n${added.id}\\s+shop\\.example\\.com\\s+pending\\s+-`));
    expect(shown.id).toBe(added.id);

    const renewed = await c.ok(["cert", "renew", added.id]);
    expect(renewed).toMatch(
      new RegExp(
        `^certificate ${added.id} \\(shop\\.example\\.com, old-shop\\.example\\.com\\) is being renewed\ntask task_\\S+ orders it`,
      ),
    );
  }, 240_000);

  it("refuses bad input naming the option, before anything is written", async () => {
    const c = cliFor();
    expect(await c.fails(["cert", "add", "--site", "site_x", "--key-type", "dsa"], 2)).toMatch(
      /--key-type/,
    );
    expect(await c.fails(["cert", "list", "--state", "valid"], 2)).toMatch(/--state/);
    expect(await c.fails(["cert", "list", "--sort", "size"], 2)).toMatch(/--sort/);
    expect(await c.fails(["cert", "show", "../x"], 2)).toMatch(/<id>/);
    expect(await c.fails(["cert", "add", "--site", "site_missing"], 1)).toMatch(
      /site site_missing/,
    );
  }, 120_000);

  it("adds, tests and removes a Cloudflare provider (the token from standard input), asks for a wildcard", async () => {
    const token = "cli-token-0123456789abcdef";
    const fake = await startCloudflareFake({ zones: ["example.com"], tokens: { [token]: {} } });
    try {
      const c = cliFor();
      const env = { STEWARD_CLOUDFLARE_API: fake.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" };
      // each CLI run loads the panel's services: on a busy machine it takes more than 20 s
      const slow = { timeoutMs: 60_000, env };
      const node = await c.json<{ id: string }>(
        [...["node", "add", "--name", "web-1", "--agent-url", "https://10.0.0.5:7443"]],
        slow,
      );
      sqlite(c, "UPDATE nodes SET state = 'trusted' WHERE id = ?", node.id);
      const site = await c.json<{ id: string; accountId: string }>(
        [...["site", "add", "--node", "web-1", "--domain", "shop.example.com"]],
        slow,
      );
      const add = ["cert", "provider", "add", "--account", site.accountId, "--name", "cf"];
      expect(await c.fails(add, 1, { ...slow, input: "wrong-token-0123456789abcdef\n" })).toMatch(
        /token.*Cloudflare says the token is invalid/,
      );
      const added = await c.json<{ id: string; zones: string[] }>(add, {
        ...slow,
        input: `${token}\n`,
      });
      expect(added.zones).toEqual(["example.com"]);
      expect(await c.ok(["cert", "provider", "list", "--account", site.accountId], slow)).toMatch(
        new RegExp(`${added.id}\\s+cf\\s+cloudflare\\s+example\\.com`),
      );
      expect(await c.ok(["cert", "provider", "test", added.id], slow)).toMatch(
        /the token works for example\.com/,
      );
      const wild = ["cert", "add", "--site", site.id, "--wildcard"];
      expect(await c.fails([...wild, "--challenge", "http-01"], 2, slow)).toMatch(/--challenge/);
      const asked = await c.json<CertJson & { wildcard: boolean }>(wild, slow);
      expect(asked).toMatchObject({
        names: ["shop.example.com", "*.shop.example.com"],
        wildcard: true,
      });
      expect(await c.ok(["cert", "provider", "remove", added.id], slow)).toMatch(/removed/);
      expect(fake.requests.every((r) => r.method === "GET")).toBe(true);
    } finally {
      await fake.stop();
    }
    // eleven CLI processes, each loading the panel's services
  }, 300_000);

  it("refuses an upload that does not fit, naming the option, the key never printed", async () => {
    const c = cliFor();
    const slow = { timeoutMs: 60_000 };
    const node = await c.json<{ id: string }>(
      [...["node", "add", "--name", "web-1", "--agent-url", "https://10.0.0.5:7443"]],
      slow,
    );
    sqlite(c, "UPDATE nodes SET state = 'trusted' WHERE id = ?", node.id);
    const site = await c.json<{ id: string }>(
      [...["site", "add", "--node", "web-1", "--domain", "shop.example.com"]],
      slow,
    );
    const [mine, other] = await Promise.all([
      testChain({ hosts: ["shop.example.com"] }),
      testChain({ hosts: ["elsewhere.example.com"] }),
    ]);
    const file = (name: string, text: string) => {
      writeFileSync(join(c.dataDir, name), text);
      return join(c.dataDir, name);
    };
    const args = (cert: string, key: string) => [
      ...["cert", "upload", "--site", site.id, "--cert", cert, "--key", key],
      ...["--chain", file("chain.pem", mine.intermediate)],
    ];
    const leaf = file("leaf.pem", mine.leaf);
    expect(await c.fails(args(join(c.dataDir, "none.pem"), leaf), 2)).toMatch(
      /--cert: cannot read .*none\.pem \(ENOENT\)/,
    );
    const wrongKey = await c.fails(args(leaf, file("other.key", other.key)), 2, slow);
    expect(wrongKey).toMatch(/--key: is not the key of this certificate/);
    expect(wrongKey).not.toContain("PRIVATE KEY");
    const elsewhere = args(file("else.pem", other.leaf), file("else.key", other.key));
    elsewhere[elsewhere.length - 1] = file("else-chain.pem", other.intermediate);
    expect(await c.fails(elsewhere, 2, slow)).toMatch(/--cert: does not cover shop\.example\.com/);
  }, 240_000);
});
