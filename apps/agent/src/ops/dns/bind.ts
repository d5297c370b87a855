// The BIND adapter: each zone a file <zoneDir>/<zone>.zone, written atomically, and its role
// <zone>.json (bind-conf.ts); zones.conf in the same directory lists them (named.conf
// includes it: one line, the only change to the distribution's configuration); named-checkzone checks the file before BIND sees it, its
// messages mapped back to records; then `rndc reconfig` when the list changed (a new or
// removed zone, a changed role) and `rndc reload <zone>` when its file changed. Steward's zones are static (no dynamic updates), so
// no freeze/thaw is needed (docs/dns.md).
import { join } from "node:path";
import type { DnsZoneApplyInput, DnsZoneSecondaryInput } from "@steward/contracts/agent";
import { defaultSoa, renderZone } from "@steward/contracts/dns";
import type { AgentConfig } from "../../config.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { ROLE_SUFFIX, ZONE_SUFFIX, type ZoneRole, zonePath, zonesConf } from "./bind-conf.ts";
import { explain, locate } from "./messages.ts";
import { waitServed } from "./served.ts";

const zoneFile = (config: AgentConfig, zone: string) => zonePath(config, zone, ZONE_SUFFIX);
const roleFile = (config: AgentConfig, zone: string) => zonePath(config, zone, ROLE_SUFFIX);

const rndc = (config: AgentConfig, ...args: string[]) => [
  config.dns.bind.rndc,
  ...(config.dns.bind.rndcConf ? ["-c", config.dns.bind.rndcConf] : []),
  ...args,
];

/** Writes zones.conf again; true when it changed. */
async function writeConf(ctx: OpContext) {
  const conf = join(ctx.config.dns.bind.zoneDir, "zones.conf");
  return ctx.writeFile(conf, zonesConf(ctx.config), { mode: 0o644 });
}

/** After a rollback restored the files: BIND loads them again. */
function reloadOnRollback(ctx: OpContext, zone: string) {
  ctx.onRollback("reload BIND", async () => {
    await ctx.exec("rndc reconfig", rndc(ctx.config, "reconfig"));
    await ctx.exec(`rndc reload ${zone}`, rndc(ctx.config, "reload", zone), { allowFailure: true });
  });
}

/** Writes the zone's role (`<zone>.json`); true when it changed. */
const writeRole = (ctx: OpContext, zone: string, role: ZoneRole) =>
  ctx.writeFile(roleFile(ctx.config, zone), `${JSON.stringify(role)}\n`, { mode: 0o644 });

export async function bindApply(ctx: OpContext, input: DnsZoneApplyInput) {
  const { config } = ctx;
  const file = zoneFile(config, input.zone);
  const soa = defaultSoa(input.zone, input.records, input.serial, input.soa);
  const rendered = renderZone(input.zone, soa, input.records);
  const { zoneChanged, confChanged } = await ctx.phase("stage", async () => {
    await ctx.mkdir(config.dns.bind.zoneDir, { mode: 0o755 });
    const zoneChanged = await ctx.writeFile(file, rendered.text, { mode: 0o644 });
    const role = { role: "primary" as const, transfers: input.transfers };
    // zones.conf (every zone's role file read) only when this zone's role is new or changed
    const roleChanged = await writeRole(ctx, input.zone, role);
    return { zoneChanged, confChanged: roleChanged ? await writeConf(ctx) : false };
  });
  await ctx.phase("test", async () => {
    const argv = [config.dns.bind.checkzone, "-k", "fail", "-i", "full", input.zone, file];
    const r = await ctx.exec("named-checkzone", argv, { allowFailure: true });
    if (r.exitCode === 0) return;
    const lines = `${r.stdout}\n${r.stderr}`
      .split("\n")
      .filter((l) => l.trim() && !/not loaded due to errors|loading from master file/.test(l));
    const located = lines.map((l) => locate(l, input.zone, input.records, rendered.recordAt));
    throw new OpFailure(
      "ZONE_INVALID",
      `named-checkzone refused ${input.zone}: ${explain(located, input.records)}`,
    );
  });
  await ctx.phase("activate", async () => {
    if (!zoneChanged && !confChanged) return;
    reloadOnRollback(ctx, input.zone);
    if (confChanged) await ctx.exec("rndc reconfig", rndc(config, "reconfig"));
    // reconfig loads a new zone but not the new file of one already loaded (its transfers
    // changed with its records: a secondary added or removed moves the serial)
    if (zoneChanged)
      await ctx.exec(`rndc reload ${input.zone}`, rndc(config, "reload", input.zone));
  });
  await ctx.phase("verify", () => waitServed(config, input.zone, input.serial, ctx.signal));
}

/** Serves the zone as a secondary of `primaries`; ends when it answers `serial` or later. */
export async function bindSecondary(ctx: OpContext, input: DnsZoneSecondaryInput) {
  const { config } = ctx;
  const changed = await ctx.phase("stage", async () => {
    await ctx.mkdir(config.dns.bind.zoneDir, { mode: 0o755 });
    const fileRemoved = await ctx.removeFile(zoneFile(config, input.zone));
    const roleChanged = await writeRole(ctx, input.zone, {
      role: "secondary",
      primaries: input.primaries,
    });
    return (await writeConf(ctx)) || roleChanged || fileRemoved;
  });
  await ctx.phase("activate", async () => {
    if (!changed) return;
    reloadOnRollback(ctx, input.zone);
    await ctx.exec("rndc reconfig", rndc(config, "reconfig"));
  });
  await ctx.phase("verify", () =>
    waitServed(config, input.zone, input.serial, ctx.signal, { orLater: true }),
  );
}

export async function bindRemove(ctx: OpContext, zone: string) {
  const changed = await ctx.phase("stage", async () => {
    const removed = await ctx.removeFile(zoneFile(ctx.config, zone));
    const unrolled = await ctx.removeFile(roleFile(ctx.config, zone));
    return removed || unrolled ? await writeConf(ctx) : false;
  });
  await ctx.phase("activate", async () => {
    if (!changed) return;
    reloadOnRollback(ctx, zone);
    await ctx.exec("rndc reconfig", rndc(ctx.config, "reconfig"));
  });
  await ctx.phase("verify", () => waitServed(ctx.config, zone, null, ctx.signal));
}
