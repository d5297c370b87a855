// The firewall's operations (docs/firewall.md). apply: render, `nft -c`, keep the previous
// table and arm the revert timer, apply in one transaction, verify; the timer reverts unless
// confirm arrives in time. A failure after the apply puts the previous table back at once.
// Applying refuses rules that would close SSH or the agent's port to the address this very
// request came from (and the panel's other addresses), the same check the panel makes.
import { join } from "node:path";
import type {
  FirewallApplyOutput,
  FirewallReadOutput,
  OpInput,
  OpOutput,
} from "@steward/contracts/agent";
import { lockoutProblems } from "@steward/contracts/firewall";
import { ipText, parseIp } from "@steward/contracts/net";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { setBans } from "./bans.ts";
import { firewallDir, LIST_TABLE, listTable, nftArgv, setMembers } from "./nft.ts";
import { arm, confirmPending, disarm, readPending, revertPending } from "./pending.ts";
import { persistTable } from "./persist.ts";
import { FAMILY, renderTable, sourceMatch, TABLE } from "./render.ts";

const services = ["nftables"] as const;

const peerAddress = (ctx: OpContext) => {
  const a = ctx.peer ? parseIp(ctx.peer.address) : null;
  return a ? ipText(a) : null;
};

async function pendingOf(ctx: OpContext) {
  const p = await readPending(ctx.config);
  return p ? { token: p.token, revertAt: new Date(p.revertAt).toISOString() } : null;
}

export const firewallApply: OpHandler<"firewall.apply"> = {
  name: "firewall.apply",
  services,
  async run(ctx, input): Promise<FirewallApplyOutput> {
    const peer = peerAddress(ctx);
    const waiting = await pendingOf(ctx);
    if (waiting)
      throw new OpFailure(
        "CONFIG",
        `an earlier apply waits for its confirmation until ${waiting.revertAt}: confirm it or let it revert first`,
      );
    const file = join(firewallDir(ctx.config), "steward.nft");
    const panel = [...(peer ? [peer] : []), ...input.panelAddresses];
    await ctx.phase("stage", async () => {
      const keep = [{ port: 22, name: "SSH (port 22)" }];
      if (ctx.peer)
        keep.push({ port: ctx.peer.localPort, name: `the agent's port ${ctx.peer.localPort}` });
      const problems = await ctx.step("check the rules keep the panel in", () =>
        lockoutProblems(input.rules, keep, panel.length ? panel : null),
      );
      if (problems.length) throw new OpFailure("OP_INPUT_INVALID", problems.join("; "));
      await ctx.mkdir(firewallDir(ctx.config), { mode: 0o700 });
      await ctx.writeFile(file, renderTable(input.rules), { mode: 0o600 });
    });
    await ctx.phase("test", async () => {
      const r = await ctx.exec("nft -c", nftArgv(ctx.config, ["-c", "-f", file]), {
        allowFailure: true,
      });
      if (r.exitCode !== 0)
        throw new OpFailure("COMMAND_FAILED", `nft -c refused the rules: ${nftError(r.stderr)}`);
    });
    const { previous, pending } = await ctx.phase("activate", async () => {
      const previous = await ctx.step("keep the previous table", () => listTable(ctx.config));
      const pending = await ctx.step("arm the revert timer", () =>
        arm(ctx.config, previous, input.confirmSeconds, ctx.log),
      );
      ctx.onRollback("put the previous table back", async () => {
        await revertPending(ctx.config, ctx.log);
      });
      await ctx.exec("nft -f", nftArgv(ctx.config, ["-f", file]));
      return { previous, pending };
    });
    const now = await ctx.phase("verify", async () => {
      const listed = await ctx.exec("list the table", nftArgv(ctx.config, LIST_TABLE));
      if (!/chain input \{/.test(listed.stdout))
        throw new OpFailure("VERIFY_FAILED", "the table has no input chain after the apply");
      return listed.stdout;
    });
    const bans = input.rules.sshBans;
    await ctx.step(bans ? "watch the auth log for SSH bans" : "no SSH bans", () =>
      setBans(ctx.config, bans ? { ...bans, never: panel } : null, ctx.log),
    );
    if (now === previous) {
      await ctx.step("nothing changed: no confirmation needed", () => disarm(ctx.config));
      await persistTable(ctx);
      return { changed: false, pending: null, peer };
    }
    ctx.changed();
    const revertAt = new Date(pending.revertAt).toISOString();
    ctx.log("info", `applied; reverts at ${revertAt} unless confirmed`);
    return { changed: true, pending: { token: pending.token, revertAt }, peer };
  },
};

export const firewallConfirm: OpHandler<"firewall.confirm"> = {
  name: "firewall.confirm",
  services,
  async run(ctx, input): Promise<OpOutput<"firewall.confirm">> {
    const confirmed = await ctx.step("confirm the pending apply", () =>
      confirmPending(ctx.config, input.token),
    );
    if (confirmed) {
      ctx.changed();
      await persistTable(ctx);
    }
    return { confirmed, peer: peerAddress(ctx) };
  },
};

async function blockedNow(ctx: OpContext) {
  const [v4, v6, b4, b6] = await Promise.all(
    ["blocked_v4", "blocked_v6", "banned_v4", "banned_v6"].map((s) => setMembers(ctx.config, s)),
  );
  return { blocked: [...(v4 ?? []), ...(v6 ?? [])], banned: [...(b4 ?? []), ...(b6 ?? [])] };
}

export const firewallRead: OpHandler<"firewall.read"> = {
  name: "firewall.read",
  async run(ctx): Promise<FirewallReadOutput> {
    const ruleset = await ctx.step("list the table", () => listTable(ctx.config));
    return {
      active: ruleset !== null,
      ruleset,
      ...(ruleset === null ? { blocked: [], banned: [] } : await blockedNow(ctx)),
      pending: await pendingOf(ctx),
      peer: peerAddress(ctx),
    };
  },
};

export const firewallUnblock: OpHandler<"firewall.unblock"> = {
  name: "firewall.unblock",
  services,
  async run(ctx, input: OpInput<"firewall.unblock">) {
    const { family, match } = sourceMatch(input.address);
    const element = match.slice(`${family} saddr `.length);
    const v = family === "ip" ? "v4" : "v6";
    const take = async (set: string) => {
      const present = await ctx.step(`look the address up in ${set}`, async () =>
        (await setMembers(ctx.config, set)).includes(element),
      );
      if (!present) return false;
      await ctx.exec(
        `nft delete element (${set})`,
        nftArgv(ctx.config, ["delete", "element", FAMILY, TABLE, set, `{ ${element} }`]),
      );
      ctx.changed();
      return true;
    };
    const out = await ctx.phase("activate", async () => ({
      removed: await take(`blocked_${v}`),
      unbanned: await take(`banned_${v}`),
    }));
    // the boot file follows, unless an apply waits: its previous table is what stays confirmed
    if ((out.removed || out.unbanned) && !(await readPending(ctx.config))) await persistTable(ctx);
    return out;
  },
};

/** nft's own words: its "Error:" line (the lines after it only point at the column). */
function nftError(stderr: string) {
  const line = stderr.split("\n").find((l) => l.includes("Error:")) ?? stderr.trim();
  return line.replace(/^.*?Error:\s*/, "").slice(0, 300);
}
