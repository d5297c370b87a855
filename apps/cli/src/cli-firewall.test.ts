// The real `steward` CLI as a child process: `steward firewall`. Nothing applies here (no
// worker, no agent; the applies on real nftables are apps/server/src/modules/firewall and
// apps/agent/src/ops/firewall): what the CLI accepts, saves and prints, and refusals naming
// the flag (exit 2) or the rule set's problem (exit 1) with nothing written.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward firewall", () => {
  it("saves rules, adds allow and deny rules, unblocks; refusals name the flag", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "fw-1", "--agent-url", "https://127.0.0.1:7443"]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    const rules = join(c.dataDir, "rules.json");
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { action: "allow", service: "ssh" },
          { action: "allow", ports: "7443", source: "192.0.2.0/24" },
        ],
        blocked: ["198.51.100.7"],
        sshRateLimit: 10,
      }),
    );
    expect(await c.ok(["firewall", "set", "fw-1", rules, "--confirm-seconds", "30"])).toMatch(
      /^firewall of node_\w+: revision 1 saved; task task_\w+ applies it \(confirmed by the panel once the node answers again\)\n$/,
    );
    const view = () =>
      db
        .prepare("SELECT revision, rules, confirm_seconds, auto_confirm FROM node_firewalls")
        .get() as {
        revision: number;
        rules: string;
        confirm_seconds: number;
        auto_confirm: number;
      };
    expect(view()).toMatchObject({ revision: 1, confirm_seconds: 30, auto_confirm: 1 });
    const allowed = await c.ok([
      ...["firewall", "allow", "fw-1", "--ports", "8000-8100", "--protocol", "udp"],
      ...["--from", "2001:DB8::1/32", "--manual-confirm"],
    ]);
    expect(allowed).toMatch(/revision 2 saved; .*confirm within 30 s: steward firewall confirm/);
    expect(
      await c.ok(["firewall", "deny", "fw-1", "--service", "http", "--from", "10.1.2.3/8"]),
    ).toContain("revision 3 saved");
    const shown = await c.ok(["firewall", "show", "fw-1"]);
    expect(shown).toMatch(/status\s+applying/);
    expect(shown).toMatch(/blocked\s+198\.51\.100\.7/);
    expect(shown).toMatch(/allow\s+-\s+8000-8100\s+udp\s+2001:db8::\/32/);
    expect(shown).toMatch(/deny\s+http\s+-\s+tcp\s+10\.0\.0\.0\/8/);
    expect(await c.ok(["firewall", "unblock", "fw-1", "198.51.100.7"])).toMatch(
      /^198\.51\.100\.7: taken out of the saved list; task task_\w+ takes it out of the node's blocked set\n$/,
    );
    expect(JSON.parse(view().rules).blocked).toEqual([]);
    // nothing waits for a confirmation yet (the task has not run)
    expect(await c.fails(["firewall", "confirm", "fw-1"], 1)).toContain(
      "no apply of this node's firewall waits for a confirmation",
    );

    const before = JSON.stringify(view());
    for (const [args, flag] of [
      [["allow", "fw-1", "--ports", "0"], "--ports"],
      [["allow", "fw-1", "--ports", "65536"], "--ports"],
      [["allow", "fw-1", "--ports", "22;reboot"], "--ports"],
      [["allow", "fw-1", "--ports", "90-80"], "--ports"],
      [["allow", "fw-1", "--service", "ssh;"], "--service"],
      [["allow", "fw-1", "--ports", "80", "--protocol", "icmp"], "--protocol"],
      [["allow", "fw-1", "--ports", "80", "--from", "1.2.3.4/33"], "--from"],
      [["allow", "fw-1", "--ports", "80", "--from", "1.2.3.4\n"], "--from"],
      [["deny", "fw-1"], "--ports"],
      [["allow", "fw-1", "--ports", "80", "--confirm-seconds", "601"], "--confirm-seconds"],
      [["allow", "x'; --", "--ports", "80"], "<node>"],
      [["unblock", "fw-1", "1.2.3.4; drop"], "<address>"],
      [["unblock", "fw-1", ".."], "<address>"],
      [["set", "fw-1", join(c.dataDir, "missing.json")], "<file>"],
    ] as const)
      expect(await c.fails(["firewall", ...args], 2)).toContain(`steward: ${flag}: `);
    // rule sets that would close SSH or the agent's port: refused by the panel
    writeFileSync(rules, JSON.stringify({ rules: [{ action: "allow", ports: "7443" }] }));
    expect(await c.fails(["firewall", "set", "fw-1", rules], 1)).toContain(
      "the rules close SSH (port 22)",
    );
    expect(await c.fails(["firewall", "deny", "fw-1", "--ports", "7443"], 1)).toContain(
      "the rules close the agent's port 7443",
    );
    expect(JSON.stringify(view())).toBe(before);
    db.close();
  }, 240_000);
});
