// BIND's zones.conf, written from the zone directory: each zone's role in `<zone>.json`
// (a primary's transfer peers, a secondary's primaries), its file `<zone>.zone` when it is a
// primary; a `.zone` without `.json` (written before roles existed) is a primary without
// peers. Secondary zones are kept in memory (no file: named re-transfers them on start).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDnsName } from "@steward/contracts/validators";
import type { AgentConfig } from "../../config.ts";
import { OpFailure } from "../types.ts";

export type ZoneRole =
  | { role: "primary"; transfers: string[] }
  | { role: "secondary"; primaries: string[] };

export const ZONE_SUFFIX = ".zone";
export const ROLE_SUFFIX = ".json";

export function zonePath(config: AgentConfig, zone: string, suffix: string) {
  if (!isDnsName(zone)) throw new OpFailure("OP_INPUT_INVALID", "a zone must be a domain name");
  return join(config.dns.bind.zoneDir, `${zone}${suffix}`);
}

/** "192.0.2.1:5300" as BIND writes an address with its port. */
const peer = (p: string) => {
  const [ip, port] = p.split(":");
  return `${ip} port ${port}`;
};

function stanza(dir: string, zone: string, role: ZoneRole): string {
  if (role.role === "secondary")
    return `zone "${zone}" { type secondary; primaries { ${role.primaries.map((p) => `${peer(p)};`).join(" ")} }; };`;
  const file = `file "${join(dir, `${zone}${ZONE_SUFFIX}`)}";`;
  if (!role.transfers.length) return `zone "${zone}" { type primary; ${file} };`;
  const ips = [...new Set(role.transfers.map((p) => p.split(":")[0]))];
  return [
    `zone "${zone}" { type primary; ${file}`,
    `  notify explicit; also-notify { ${role.transfers.map((p) => `${peer(p)};`).join(" ")} };`,
    `  allow-transfer { ${ips.map((ip) => `${ip};`).join(" ")} }; };`,
  ].join("\n");
}

function roleOf(dir: string, zone: string, files: Set<string>): ZoneRole | null {
  if (files.has(`${zone}${ROLE_SUFFIX}`))
    return JSON.parse(readFileSync(join(dir, `${zone}${ROLE_SUFFIX}`), "utf8")) as ZoneRole;
  return files.has(`${zone}${ZONE_SUFFIX}`) ? { role: "primary", transfers: [] } : null;
}

/** zones.conf: every zone of the directory (after this operation's writes). */
export function zonesConf(config: AgentConfig): string {
  const dir = config.dns.bind.zoneDir;
  const files = new Set(readdirSync(dir));
  const zones = [...files]
    .flatMap((f) =>
      [ZONE_SUFFIX, ROLE_SUFFIX].filter((s) => f.endsWith(s)).map((s) => f.slice(0, -s.length)),
    )
    .filter((z, i, all) => isDnsName(z) && all.indexOf(z) === i)
    .sort();
  return [
    "// written by Steward: its zones (named.conf includes this file)",
    ...zones.flatMap((z) => {
      const role = roleOf(dir, z, files);
      return role ? [stanza(dir, z, role)] : [];
    }),
    "",
  ].join("\n");
}
