// The firewall operations against real nftables in a network namespace this file creates
// (never the host's ruleset), checked with real TCP connections from a second namespace:
// allows and denies hold, a confirmed apply stays, an unconfirmed one reverts by itself, rules
// closing the agent's port to the request's address are refused, a table nft refuses leaves
// the old rules, unblock takes an address out, the SSH limit drops a burst, failed SSH logins
// in the auth log ban an address (never the panel's), other tables are never touched, and the
// confirmed table (never a pending one) is written to the boot file that a simulated reboot
// (the namespace's ruleset flushed) loads back the way the boot unit does.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type FirewallApplyOutput,
  type FirewallReadOutput,
  firewallApplyInput,
  type OpResult,
} from "@steward/contracts/agent";
import { startNetnsPair } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import type { OpHandler } from "../types.ts";
import { failedLogins, scanOnce, stopBans } from "./bans.ts";
import { firewallApply, firewallConfirm, firewallRead, firewallUnblock } from "./ops.ts";
import { arm, readPending, resumePending, stopTimer } from "./pending.ts";
import { REPLACE_HEAD } from "./render.ts";

const ns = await startNetnsPair();
const AGENT_PORT = 7443;

describe.skipIf(!ns)("firewall operations in a network namespace", () => {
  const pair = ns as NonNullable<typeof ns>;
  const dir = mkdtempSync(join(tmpdir(), "steward-firewall-"));
  const config = parseConfig(dir, {
    nodeId: "n1",
    panelUrl: "http://127.0.0.1:1",
    systemd: false,
    // the scanner's own timer is out of the way: the test reads the log (scanOnce)
    firewall: {
      netns: pair.node,
      authLog: join(dir, "auth.log"),
      scanSeconds: 300,
      bootFile: join(dir, "etc", "firewall.nft"),
      bootUnit: join(dir, "units", "steward-firewall.service"),
    },
  });
  const peer = { address: pair.clientAddress, localPort: AGENT_PORT };
  const run = (handler: OpHandler, input: unknown) =>
    runOperation(handler, input, { config, requestId: "req-fw", peer });
  const ok = <T>(r: OpResult) => {
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("ok");
    return r.output as T;
  };
  const apply = (rules: unknown, confirmSeconds = 5) =>
    run(firewallApply, firewallApplyInput.parse({ rules, confirmSeconds }));
  const table = () => {
    try {
      return pair.nft(["-s", "list", "table", "inet", "steward"]);
    } catch {
      return "(no table)";
    }
  };
  const base = {
    rules: [
      { action: "allow", service: "ssh" },
      { action: "allow", ports: `${AGENT_PORT}`, source: pair.clientAddress },
      { action: "allow", service: "http" },
      { action: "deny", ports: "80", source: pair.otherAddress },
    ],
  };
  const reach = async (port: number, from?: string) => pair.reaches(port, from);
  const bootFile = () => {
    try {
      return readFileSync(config.firewall.bootFile, "utf8");
    } catch {
      return "(no file)";
    }
  };

  beforeAll(async () => {
    await pair.listen([22, AGENT_PORT, 80, 8080]);
    // someone else's table: it stays as it is whatever Steward applies
    pair.nft(["add", "table", "inet", "other"]);
    pair.nft(["add", "chain", "inet", "other", "keep"]);
  }, 30_000);
  afterAll(async () => {
    stopTimer(config);
    stopBans(config);
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies allows and denies (real connections), and a confirmed apply stays", async () => {
    expect(await reach(8080)).toBe(true);
    const out = ok<FirewallApplyOutput>(await apply(base));
    expect(out.changed).toBe(true);
    expect(out.peer).toBe(pair.clientAddress);
    const token = out.pending?.token ?? "";
    expect(await reach(22)).toBe(true);
    expect(await reach(22, pair.otherAddress)).toBe(true);
    expect(await reach(AGENT_PORT)).toBe(true);
    expect(await reach(AGENT_PORT, pair.otherAddress)).toBe(false);
    expect(await reach(80)).toBe(true);
    expect(await reach(80, pair.otherAddress)).toBe(false);
    expect(await reach(8080)).toBe(false);
    expect(ok<{ confirmed: boolean }>(await run(firewallConfirm, { token })).confirmed).toBe(true);
    expect(await readPending(config)).toBeNull();
    const applied = table();
    // confirmed: the table is the boot file's, root-only
    expect(bootFile()).toBe(`${REPLACE_HEAD}${applied}`);
    expect(statSync(config.firewall.bootFile).mode & 0o777).toBe(0o600);
    await new Promise((r) => setTimeout(r, 5500));
    expect(table()).toBe(applied);
    expect(await reach(8080)).toBe(false);
    expect(pair.nft(["list", "table", "inet", "other"])).toContain("chain keep");
    // the same rules again: nothing changes, nothing to confirm
    expect(ok<FirewallApplyOutput>(await apply(base))).toMatchObject({
      changed: false,
      pending: null,
    });
  }, 60_000);

  it("reverts by itself when the panel does not confirm in time", async () => {
    const before = table();
    const booted = bootFile();
    expect(booted).toBe(`${REPLACE_HEAD}${before}`);
    const out = ok<FirewallApplyOutput>(
      await apply({ ...base, rules: base.rules.slice(0, 2), blocked: [pair.otherAddress] }),
    );
    const token = out.pending?.token ?? "";
    expect(await reach(80)).toBe(false);
    expect(await reach(22, pair.otherAddress)).toBe(false);
    // a pending apply is never written for the boot
    expect(bootFile()).toBe(booted);
    const read = ok<FirewallReadOutput>(await run(firewallRead, {}));
    expect(read.pending?.token).toBe(token);
    expect(read.blocked).toEqual([pair.otherAddress]);
    // another apply waits for this one to be confirmed or reverted
    const second = await apply(base);
    expect(second.error?.message).toMatch(/waits for its confirmation/);
    for (let i = 0; i < 40 && (await readPending(config)); i++)
      await new Promise((r) => setTimeout(r, 250));
    expect(table()).toBe(before);
    expect(await reach(80)).toBe(true);
    expect(await reach(22, pair.otherAddress)).toBe(true);
    expect(ok<{ confirmed: boolean }>(await run(firewallConfirm, { token })).confirmed).toBe(false);
    expect(bootFile()).toBe(booted);
  }, 60_000);

  it("refuses rules closing the agent's port to the request's address; nothing changes", async () => {
    const before = table();
    const closed = {
      rules: [
        { action: "allow", service: "ssh" },
        { action: "allow", ports: `${AGENT_PORT}`, source: pair.otherAddress },
      ],
    };
    const r = await apply(closed);
    expect(r.status).toBe("failed");
    expect(r.error).toEqual({
      code: "OP_INPUT_INVALID",
      message: `the rules close the agent's port ${AGENT_PORT} to the panel's address ${pair.clientAddress}: allow it from there`,
    });
    expect(table()).toBe(before);
    expect(await readPending(config)).toBeNull();
  });

  it("leaves the old rules when nft -c refuses the table", async () => {
    const before = table();
    // overlapping blocked ranges: the contracts refuse them, nft too (given here directly)
    const input = firewallApplyInput.parse({ rules: base, confirmSeconds: 5 });
    input.rules.blocked = ["198.51.100.0/24", "198.51.100.128/25"];
    const r = await run(firewallApply, input);
    expect(r.status).toBe("failed");
    expect(r.error?.message).toBe("nft -c refused the rules: conflicting intervals specified");
    expect(r.steps.some((s) => s.name === "nft -f")).toBe(false);
    expect(table()).toBe(before);
    expect(await readPending(config)).toBeNull();
  });

  it("unblocks an address: out of the blocked set, reachable again", async () => {
    const blocked = { ...base, blocked: [pair.otherAddress, "192.0.2.0/24", "2001:db8::/32"] };
    const out = ok<FirewallApplyOutput>(await apply(blocked));
    await run(firewallConfirm, { token: out.pending?.token });
    expect(await reach(22, pair.otherAddress)).toBe(false);
    const removed = await run(firewallUnblock, { address: pair.otherAddress });
    expect(ok<{ removed: boolean }>(removed)).toEqual({ removed: true, unbanned: false });
    expect(await reach(22, pair.otherAddress)).toBe(true);
    expect(
      ok<{ removed: boolean }>(await run(firewallUnblock, { address: pair.otherAddress })),
    ).toEqual({ removed: false, unbanned: false });
    const read = ok<FirewallReadOutput>(await run(firewallRead, {}));
    expect(read.blocked).toEqual(["192.0.2.0/24", "2001:db8::/32"]);
    expect(read.pending).toBeNull();
    // the unblock reaches the boot file too
    expect(bootFile()).toBe(`${REPLACE_HEAD}${table()}`);
  }, 30_000);

  it("drops new SSH connections over the rate limit per address", async () => {
    const out = ok<FirewallApplyOutput>(await apply({ ...base, sshRateLimit: 1 }));
    await run(firewallConfirm, { token: out.pending?.token });
    const seen: boolean[] = [];
    for (let i = 0; i < 9; i++) seen.push(await reach(22));
    expect(seen[0]).toBe(true);
    expect(seen.filter((x) => !x).length).toBeGreaterThan(0);
    // another address has its own budget
    expect(await reach(22, pair.otherAddress)).toBe(true);
  }, 30_000);

  it("bans an address after failed SSH logins in the auth log, never the panel's; unblock lifts it", async () => {
    writeFileSync(
      join(dir, "auth.log"),
      "Dec  6 09:00:00 vm sshd[1]: Server listening on 0.0.0.0 port 22.\n",
    );
    const bans = { maxFailures: 3, findSeconds: 60, banSeconds: 120 };
    const out = ok<FirewallApplyOutput>(await apply({ ...base, sshBans: bans }));
    await run(firewallConfirm, { token: out.pending?.token });
    const other = pair.otherAddress;
    const panel = pair.clientAddress;
    const lines = [
      `Dec  6 09:30:01 vm sshd[1234]: Failed password for root from ${other} port 50022 ssh2`,
      `Dec  6 09:30:01 vm sshd[1235]: Accepted publickey for root from ${other} port 50030 ssh2`,
      `Dec  6 09:30:02 vm sshd[1236]: Invalid user admin from ${other} port 50023`,
      ...Array.from(
        { length: 5 },
        (_, i) =>
          `Dec  6 09:30:0${i} vm sshd[99${i}]: Failed password for root from ${panel} port 4000${i} ssh2`,
      ),
      `Dec  6 09:30:03 vm sshd[1237]: Failed password for root from 192.0.2.1; drop port 1 ssh2`,
    ];
    appendFileSync(join(dir, "auth.log"), `${lines.join("\n")}\n`);
    const log: string[] = [];
    const note = (_level: string, message: string) => log.push(message);
    expect(await scanOnce(config, note)).toEqual([]);
    expect(await reach(22, other)).toBe(true);
    // the third failure bans it (a line cut short is read whole next time)
    appendFileSync(
      join(dir, "auth.log"),
      `Dec  6 09:30:04 vm sshd[1238]: Failed password for invalid user x from ${other} port 50024 ssh2\nDec  6 09:30:05 vm sshd[1`,
    );
    expect(await scanOnce(config, note)).toEqual([other]);
    expect(log).toEqual([`firewall: banned ${other} for 120 s (failed SSH logins)`]);
    expect(await reach(22, other)).toBe(false);
    expect(await reach(80, other)).toBe(false);
    expect(await reach(22)).toBe(true);
    const read = ok<FirewallReadOutput>(await run(firewallRead, {}));
    expect(read.banned).toEqual([other]);
    const lifted = await run(firewallUnblock, { address: other });
    expect(ok<{ unbanned: boolean }>(lifted)).toEqual({ removed: false, unbanned: true });
    expect(await reach(22, other)).toBe(true);
    expect(failedLogins(`sshd[7]: Failed password for root from 2001:DB8::7 port 22 ssh2`)).toEqual(
      ["2001:db8::7"],
    );
    // rules without bans stop the watch
    const off = ok<FirewallApplyOutput>(await apply(base));
    await run(firewallConfirm, { token: off.pending?.token });
    appendFileSync(join(dir, "auth.log"), `${lines.slice(0, 1).join("")}\n`.repeat(4));
    expect(await scanOnce(config, note)).toEqual([]);
  }, 30_000);

  it("an agent that starts with a pending apply reverts it when its time comes", async () => {
    const before = table();
    pair.nft(["add", "element", "inet", "steward", "blocked_v4", "{ 198.51.100.9 }"]);
    const log: string[] = [];
    await arm(config, before, 1, () => {});
    stopTimer(config); // the agent stopped
    await resumePending(config, (_level, message) => log.push(message));
    for (let i = 0; i < 20 && (await readPending(config)); i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(table()).toBe(before);
    expect(log).toEqual([
      "firewall: the previous rules are back (no confirmation in time, or a failure)",
    ]);
  });

  it("the confirmed table survives a reboot: flushed, then loaded from the boot file as the unit does", async () => {
    const confirmed = table();
    expect(confirmed).toContain("chain input");
    expect(bootFile()).toBe(`${REPLACE_HEAD}${confirmed}`);
    pair.nft(["flush", "ruleset"]); // the reboot: nothing of the rules is left
    expect(table()).toBe("(no table)");
    expect(await reach(8080)).toBe(true);
    pair.nft(["-f", config.firewall.bootFile]);
    expect(table()).toBe(confirmed);
    expect(await reach(8080)).toBe(false);
    expect(await reach(80)).toBe(true);
    expect(await reach(80, pair.otherAddress)).toBe(false);
    // loading it again (a second start of the unit) replaces the table, nothing doubles
    pair.nft(["-f", config.firewall.bootFile]);
    expect(table()).toBe(confirmed);
    const unit = config.firewall.bootUnit ?? "";
    expect(readFileSync(unit, "utf8")).toContain(
      `ExecStart=${config.firewall.nft} -f ${config.firewall.bootFile}`,
    );
    const verify = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
    expect(verify.error, "systemd-analyze is installed").toBeUndefined();
    expect(verify.stderr).toBe("");
    expect(verify.status).toBe(0);
  }, 30_000);
});
