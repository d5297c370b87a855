// A mail domain's DKIM key, its rotation and the live check of its records
// (docs/mail.md#dkim-spf-and-dmarc).
import {
  mailDkimAnswer,
  mailDkimRotate,
  mailDnsCheckAnswer,
  mailDnsPolicy,
} from "@steward/contracts/mail";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const DOMAINS = "/api/v1/mail/domains";

export function mailDkimRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["mail"],
    [
      route({
        method: "GET",
        url: `${DOMAINS}/:id/dkim`,
        action: "mail.domain.dkim.get",
        description:
          "The domain's DKIM selector and public key (the private key never leaves the node) and the records it needs: MX, SPF, DKIM, DMARC, set in the account's zone when Steward manages it (zoneId), else to copy.",
        params: idParams,
        reply: mailDkimAnswer,
        handle: ({ ctx, params }) => svc.mailDkim.get(ctx, params.id),
      }),
      route({
        method: "POST",
        url: `${DOMAINS}/:id/dkim/rotate`,
        action: "mail.domain.dkim.rotate",
        description:
          "Makes a new DKIM key on the node under a new selector (default steward<yyyymm>), which signs from then on; the previous key stays published until the next rotation.",
        params: idParams,
        body: mailDkimRotate,
        reply: mailDkimAnswer,
        status: 202,
        handle: ({ ctx, params, body }) => svc.mailDkim.rotate(ctx, params.id, body),
      }),
      route({
        method: "PATCH",
        url: `${DOMAINS}/:id/dkim`,
        action: "mail.domain.dkim.policy",
        description:
          "How the domain's SPF and DMARC records read: spfAll (~all or -all), dmarcPolicy (none, quarantine, reject) and dmarcReport (a mailbox or alias of the domain, by its local part; null: none); set again in its zone when DKIM is on.",
        params: idParams,
        body: mailDnsPolicy,
        reply: mailDkimAnswer,
        handle: ({ ctx, params, body }) => svc.mailDkim.setPolicy(ctx, params.id, body),
      }),
      route({
        method: "GET",
        url: `${DOMAINS}/:id/dns-check`,
        action: "mail.domain.dns-check",
        description:
          "Asks live DNS (the panel's resolvers, mailDnsResolvers) for the domain's MX, SPF, DKIM and DMARC records: each ok, missing or wrong, with what was found.",
        params: idParams,
        reply: mailDnsCheckAnswer,
        handle: ({ ctx, params }) => svc.mailDkim.dnsCheck(ctx, params.id),
      }),
    ],
  );
}
