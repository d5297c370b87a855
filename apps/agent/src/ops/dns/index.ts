// dns.zone.apply and dns.zone.remove: one contract, two adapters, chosen by agent.json's
// dns.backend (docs/dns.md). Both check the records again with the contracts' rules (the
// operation route parsed the input with dnsZoneApplyInput, which runs checkZone).
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { bindApply, bindRemove, bindSecondary } from "./bind.ts";
import { powerDnsSecondary } from "./pdns-secondary.ts";
import { powerDnsApply, powerDnsRemove } from "./powerdns.ts";

function backendOf(ctx: OpContext) {
  const backend = ctx.config.dns.backend;
  if (backend === "none")
    throw new OpFailure(
      "DNS_NOT_CONFIGURED",
      "this node serves no DNS zones (agent.json dns.backend is none)",
    );
  return backend;
}

export const dnsZoneApply: OpHandler<"dns.zone.apply"> = {
  name: "dns.zone.apply",
  services: ["dns"],
  async run(ctx, input) {
    const backend = backendOf(ctx);
    if (backend === "powerdns" && input.transfers.length)
      throw new OpFailure(
        "DNS_UNSUPPORTED",
        `${input.zone}: secondaries of a PowerDNS primary are not supported yet (a BIND primary serves them)`,
      );
    if (backend === "powerdns")
      return { backend, serial: input.serial, dnssec: await powerDnsApply(ctx, input) };
    if (input.dnssec)
      throw new OpFailure(
        "DNS_UNSUPPORTED",
        `${input.zone}: Steward signs zones on PowerDNS only; this node serves DNS with BIND`,
      );
    await bindApply(ctx, input);
    return { backend, serial: input.serial, dnssec: null };
  },
};

export const dnsZoneSecondary: OpHandler<"dns.zone.secondary"> = {
  name: "dns.zone.secondary",
  services: ["dns"],
  async run(ctx, input) {
    const backend = backendOf(ctx);
    if (backend === "bind") await bindSecondary(ctx, input);
    else await powerDnsSecondary(ctx, input);
    return { backend, serial: input.serial };
  },
};

export const dnsZoneRemove: OpHandler<"dns.zone.remove"> = {
  name: "dns.zone.remove",
  services: ["dns"],
  async run(ctx, input) {
    if (backendOf(ctx) === "bind") await bindRemove(ctx, input.zone);
    else await powerDnsRemove(ctx, input.zone);
    return {};
  },
};
