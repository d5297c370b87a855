// nft as the agent runs it: argv only, inside the configured network namespace when there is
// one (`ip netns exec <ns> nft …`: tests), on the node's own otherwise.
import { join } from "node:path";
import type { AgentConfig } from "../../config.ts";
import { run } from "../../system/exec.ts";
import { FAMILY, TABLE } from "./render.ts";

export type FirewallConfig = Pick<AgentConfig, "dir" | "firewall">;

export function nftArgv(config: FirewallConfig, args: string[]): string[] {
  const f = config.firewall;
  return f.netns ? [f.ip, "netns", "exec", f.netns, f.nft, ...args] : [f.nft, ...args];
}

/** The agent's firewall files: the rendered table, a pending apply's previous table. */
export const firewallDir = (config: FirewallConfig) => join(config.dir, "firewall");

export const LIST_TABLE = ["-s", "list", "table", FAMILY, TABLE];

/** `nft -s list table inet steward`, or null when the node has no such table. */
export async function listTable(config: FirewallConfig): Promise<string | null> {
  const r = await run(nftArgv(config, LIST_TABLE), { timeoutMs: 30_000 });
  if (r.exitCode === 0) return r.stdout;
  if (/No such file or directory/.test(r.stderr)) return null;
  throw new Error(`nft list table failed: ${r.stderr.trim().slice(0, 300)}`);
}

/** The elements of a blocked set (`blocked_v4`, `blocked_v6`), as nft prints them. */
export async function setMembers(config: FirewallConfig, set: string): Promise<string[]> {
  const r = await run(nftArgv(config, ["-j", "list", "set", FAMILY, TABLE, set]), {
    timeoutMs: 30_000,
  });
  if (r.exitCode !== 0) return [];
  const doc = JSON.parse(r.stdout) as { nftables: { set?: { elem?: unknown[] } }[] };
  const elems = doc.nftables.find((x) => x.set)?.set?.elem ?? [];
  return elems.map((e) => {
    if (typeof e === "string") return e;
    // a timed element (a ban) is {elem: {val, timeout, expires}}
    const o = e as { prefix?: { addr: string; len: number }; elem?: { val?: unknown } };
    if (o.prefix) return `${o.prefix.addr}/${o.prefix.len}`;
    return typeof o.elem?.val === "string" ? o.elem.val : JSON.stringify(e);
  });
}
