// PUT /api/v1/mail/domains/{id}/spam (docs/mail.md#spam): a domain's rspamd mode and Junk
// retention, applied on its node by the domain's mail.apply task.
import { mailDomainChange, mailSpamSettings } from "@steward/contracts/mail";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function mailSpamRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["mail"],
    [
      route({
        method: "PUT",
        url: "/api/v1/mail/domains/:id/spam",
        action: "mail.domain.spam",
        description:
          "Sets the domain's spam filter (off; tag: X-Spam header and delivery into Junk; reject: refused at SMTP; tag and reject need rspamd on the node) and the days Junk keeps a message; enqueues the task that applies it.",
        params: idParams,
        body: mailSpamSettings,
        reply: mailDomainChange,
        handle: ({ ctx, params, body }) => svc.mail.setSpam(ctx, params.id, body),
      }),
    ],
  );
}
