// The real `steward` CLI as a child process: a mail domain's virus scanning. Nothing applies
// it here (no worker, no agent; apps/agent/src/ops/mail/virus.test.ts scans with a real
// rspamd and clamd): what the CLI accepts, writes and prints.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

const facts = (names: string[]) =>
  JSON.stringify({
    hostname: "mx-1",
    os: { id: "debian", name: "Debian", version: "12", kernel: "6.1" },
    arch: "x64",
    cpus: 2,
    memory: { totalBytes: 1, availableBytes: 1 },
    disks: [],
    services: names.map((name) => ({ name, installed: true, version: null, running: true })),
    systemd: true,
    collectedAt: new Date().toISOString(),
  });

describe("steward mail domain virus", () => {
  it("sets a domain's virus scanning; refuses hostile modes and a node without clamd", async () => {
    const c = cliFor();
    const node = await c.json<{ id: string }>([
      ...["node", "add", "--name", "mx-1", "--agent-url", "https://10.0.0.7:7443"],
    ]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
    const domain = await c.json<{ id: string }>([
      ...["mail", "domain", "add", "scan.example", "--node", "mx-1"],
    ]);
    const column = () =>
      (db.prepare("SELECT virus_filter FROM mail_domains").get() as { virus_filter: string })
        .virus_filter;
    for (const bad of ["REJECT", "reject\n", "reject;--", "../off"])
      expect(await c.fails(["mail", "domain", "virus", domain.id, bad], 2)).toMatch(
        /^steward: <mode>: /,
      );
    expect(await c.fails(["mail", "domain", "virus", "a'b", "off"], 2)).toMatch(
      /^steward: <domain>: /,
    );
    db.prepare("UPDATE nodes SET facts = ? WHERE id = ?").run(facts(["rspamd"]), node.id);
    expect(await c.fails(["mail", "domain", "virus", domain.id, "reject"], 2)).toMatch(
      /^steward: <mode>: the domain's node has no virus scanner/,
    );
    expect(column()).toBe("off");
    db.prepare("UPDATE nodes SET facts = ? WHERE id = ?").run(facts(["rspamd", "clamd"]), node.id);
    expect(await c.ok(["mail", "domain", "virus", domain.id, "reject"])).toMatch(
      /^mail domain scan\.example: virus scanning reject\ntask \S+ applies it/,
    );
    expect(column()).toBe("reject");
    const off = await c.json<{ virusFilter: string }>([
      "mail",
      "domain",
      "virus",
      domain.id,
      "off",
    ]);
    expect(off.virusFilter).toBe("off");
    db.close();
  }, 240_000);
});
