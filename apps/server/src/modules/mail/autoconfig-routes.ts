// Mail clients' autoconfiguration (docs/mail.md, "Mail clients"): public, rate-limited per
// address, answered in XML for the mail domains the panel serves and the same 404 for every
// other name. Not in the OpenAPI document (not JSON); docs/api.md lists them.
import { AUTODISCOVER_BODY_LIMIT, mailAddress, mailClientQuery } from "@steward/contracts/mail";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { invalid } from "../../lib/errors.ts";
import type { Services } from "../../services.ts";
import { autodiscoverAddress, outlookAutodiscover, thunderbirdConfig } from "./autoconfig-xml.ts";

/** per address: a client asks once per account set-up; a whole office behind one NAT a few */
export const autoconfigRateLimit = { max: 60, timeWindow: "1 minute" };

const XML = "application/xml; charset=utf-8";

export function autoconfigRoutes(app: FastifyInstance, svc: Services) {
  const config = { auth: "public" as const, rateLimit: autoconfigRateLimit };
  const schema = { tags: ["mail"], hide: true };
  // Thunderbird asks https://autoconfig.<domain>/mail/config-v1.1.xml, then the domain's
  // own /.well-known/autoconfig/mail/config-v1.1.xml
  for (const url of ["/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"])
    app.get(
      url,
      { config, schema: { ...schema, querystring: mailClientQuery } },
      async (req, reply) => {
        const { emailaddress } = req.query as z.output<typeof mailClientQuery>;
        const settings = await svc.mail.clientSettings(emailaddress);
        return reply
          .type(XML)
          .header("cache-control", "no-store")
          .send(thunderbirdConfig(settings));
      },
    );
  // Outlook POSTs an XML request to https://autodiscover.<domain>/autodiscover/autodiscover.xml
  app.register(async (scope) => {
    scope.addContentTypeParser(
      ["text/xml", "application/xml"],
      { parseAs: "string", bodyLimit: AUTODISCOVER_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    for (const url of ["/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"])
      scope.post(
        url,
        { config, schema, bodyLimit: AUTODISCOVER_BODY_LIMIT },
        async (req, reply) => {
          const parsed = mailAddress.safeParse(autodiscoverAddress(req.body));
          if (!parsed.success)
            throw invalid("body.EMailAddress", parsed.error.issues[0]?.message ?? "is invalid");
          const settings = await svc.mail.clientSettings(parsed.data);
          return reply
            .type(XML)
            .header("cache-control", "no-store")
            .send(outlookAutodiscover(settings));
        },
      );
  });
}
