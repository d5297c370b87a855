// PowerDNS as a secondary (docs/dns.md): the zone created through the API with kind Slave and
// its primaries (pdns.conf needs `secondary=yes`), or switched to them, then one transfer
// asked at once (axfr-retrieve); NOTIFYs from the primary bring the later changes.
import type { DnsZoneSecondaryInput } from "@steward/contracts/agent";
import { type OpContext, OpFailure } from "../types.ts";
import { apiError, pdns } from "./pdns-api.ts";
import { waitServed } from "./served.ts";

interface PdnsZoneInfo {
  kind: string;
  masters: string[];
}

export async function powerDnsSecondary(ctx: OpContext, input: DnsZoneSecondaryInput) {
  const path = `/zones/${input.zone}.`;
  const failed = (what: string, answer: { status: number; body: unknown }) =>
    new OpFailure("COMMAND_FAILED", `PowerDNS did not ${what} ${input.zone}: ${apiError(answer)}`);
  await ctx.phase("activate", async () => {
    const current = await pdns(ctx, "GET", path);
    const wanted = { kind: "Slave", masters: input.primaries };
    if (current.status === 404 || current.status === 422) {
      const made = await pdns(ctx, "POST", "/zones", {
        name: `${input.zone}.`,
        nameservers: [],
        ...wanted,
      });
      if (made.status !== 201) throw failed("create the secondary zone", made);
      ctx.onRollback("delete the secondary zone", async () => {
        await pdns(ctx, "DELETE", path);
      });
      ctx.changed();
    } else if (current.status === 200) {
      const zone = current.body as PdnsZoneInfo;
      const same =
        zone.kind === "Slave" &&
        JSON.stringify([...zone.masters].sort()) === JSON.stringify([...input.primaries].sort());
      if (!same) {
        const put = await pdns(ctx, "PUT", path, wanted);
        if (put.status !== 204) throw failed("make a secondary of", put);
        ctx.changed();
      }
    } else throw failed("read", current);
    const retrieved = await pdns(ctx, "PUT", `${path}/axfr-retrieve`);
    if (retrieved.status !== 200) throw failed("transfer", retrieved);
  });
  await ctx.phase("verify", () =>
    waitServed(ctx.config, input.zone, input.serial, ctx.signal, { orLater: true }),
  );
}
