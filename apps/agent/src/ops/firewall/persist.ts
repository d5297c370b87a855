// The confirmed table survives a reboot (docs/firewall.md, "After a reboot"): once an apply is
// confirmed (or changed nothing), and after an unblock, the live table `inet steward` is
// written to firewall.bootFile (0600 root, the same replace-only-our-table head as every
// table file) and a oneshot unit, steward-firewall.service, loads it at boot with `nft -f`,
// after the distribution's nftables.service (whose `flush ruleset` would drop it) and before
// the network comes up. A pending apply is never written: a reboot during its window boots
// with the rules confirmed last, and the agent's start reverts the pending one anyway.
import { dirname } from "node:path";
import type { OpContext } from "../types.ts";
import { type FirewallConfig, listTable } from "./nft.ts";
import { REPLACE_HEAD } from "./render.ts";

export const BOOT_UNIT_NAME = "steward-firewall.service";

/** The unit that loads the confirmed table at boot. */
export function renderBootUnit(config: FirewallConfig): string {
  const { nft, bootFile } = config.firewall;
  return `# Steward: loads the node's confirmed firewall table (inet steward) at boot; written by the agent
[Unit]
Description=Steward firewall table (inet steward)
DefaultDependencies=no
After=local-fs.target nftables.service
Before=network-pre.target shutdown.target
Wants=network-pre.target
Conflicts=shutdown.target
ConditionPathExists=${bootFile}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${nft} -f ${bootFile}

[Install]
WantedBy=sysinit.target
`;
}

/** Writes the live table (none: a file that only removes it) and the boot unit. */
export async function persistTable(ctx: OpContext) {
  const { bootFile, bootUnit } = ctx.config.firewall;
  const live = await ctx.step("read the confirmed table", () => listTable(ctx.config));
  await ctx.mkdir(dirname(bootFile));
  const wrote = await ctx.writeFile(bootFile, `${REPLACE_HEAD}${live ?? ""}`, { mode: 0o600 });
  if (!bootUnit) return wrote;
  await ctx.mkdir(dirname(bootUnit));
  const unitWritten = await ctx.writeFile(bootUnit, renderBootUnit(ctx.config), { mode: 0o644 });
  if (unitWritten && ctx.config.systemd) {
    await ctx.exec("systemctl daemon-reload", [ctx.config.systemctl, "daemon-reload"]);
    await ctx.exec(`enable ${BOOT_UNIT_NAME}`, [ctx.config.systemctl, "enable", BOOT_UNIT_NAME]);
  }
  return wrote || unitWritten;
}
