// The real `steward` CLI as a child process: certificates. Nothing orders them here (no
// worker, no agent, no CA): these tests are about what the CLI accepts, writes and prints.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
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
  }, 120_000);

  it("refuses bad input naming the option, before anything is written", async () => {
    const c = cliFor();
    expect(await c.fails(["cert", "add", "--site", "site_x", "--key-type", "dsa"], 2)).toMatch(
      /--key-type/,
    );
    expect(await c.fails(["cert", "list", "--state", "valid"], 2)).toMatch(/--state/);
    expect(await c.fails(["cert", "list", "--sort", "name"], 2)).toMatch(/--sort/);
    expect(await c.fails(["cert", "show", "../x"], 2)).toMatch(/<id>/);
    expect(await c.fails(["cert", "add", "--site", "site_missing"], 1)).toMatch(
      /site site_missing/,
    );
  }, 60_000);
});
