// `steward dns zone dnssec <zone> on|off`: signs a zone (PowerDNS) or unsigns it; the DS and
// DNSKEY records for the registrar are printed once the node has served the signed zone.
import type { DnsZone } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

type Change = DnsZone & { taskId: string };

/** The zone's DNSSEC state in words: the DS records to give the registrar, one a line. */
export function dnssecText(z: DnsZone) {
  if (!z.dnssec.enabled) return "DNSSEC: off\n";
  if (!z.dnssec.ds.length) return "DNSSEC: on, keys pending (the zone's task signs it)\n";
  return `DNSSEC: on; DS records for the registrar:\n${z.dnssec.ds.map((ds) => `  ${z.name}. IN DS ${ds}\n`).join("")}`;
}

export function dnssecCommand(
  zone: Command,
  g: () => GlobalOptions,
  zoneId: (ref: string) => string,
  printChange: (g: GlobalOptions, z: Change, what: string) => void,
) {
  zone
    .command("dnssec")
    .description("signs the zone with DNSSEC (PowerDNS only) or unsigns it")
    .argument("<zone>")
    .argument("<state>", "on or off")
    .action(async (ref, state) => {
      const id = zoneId(ref);
      if (state !== "on" && state !== "off") throw new UsageError("<state>: must be on or off");
      await withServices(g(), async (svc, ctx) => {
        try {
          const z = await svc.dns.setDnssec(ctx, id, { enabled: state === "on" });
          if (g().json) return print(g(), z);
          printChange(g(), z, state === "on" ? "signed (DNSSEC)" : "unsigned");
          process.stdout.write(dnssecText(z));
        } catch (e) {
          const message = (e as Error).message ?? "";
          if (message.startsWith("body.enabled: "))
            throw new UsageError(`<state>: ${message.slice("body.enabled: ".length)}`);
          throw e;
        }
      });
    });
}
