// PUT /api/v1/mail/domains/{id}/virus (docs/mail.md#viruses): a domain's virus scanning,
// applied on its node by the domain's mail.apply task.
import { mailDomainChange, mailVirusSettings } from "@steward/contracts/mail";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function mailVirusRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["mail"],
    [
      route({
        method: "PUT",
        url: "/api/v1/mail/domains/:id/virus",
        action: "mail.domain.virus",
        description:
          "Sets the domain's virus scanning (off; reject: ClamAV, through rspamd, scans what arrives and a message carrying a virus is refused at SMTP; needs rspamd and clamd on the node); enqueues the task that applies it.",
        params: idParams,
        body: mailVirusSettings,
        reply: mailDomainChange,
        handle: ({ ctx, params, body }) => svc.mail.setVirus(ctx, params.id, body),
      }),
    ],
  );
}
