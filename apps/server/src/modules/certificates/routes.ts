import {
  certificate,
  certificateChange,
  certificateListQuery,
  certificateRequest,
  certificateUpload,
  panelCertificate,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function certificatesRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["certificates"],
    [
      ...crudRoutes({
        base: "/api/v1/certificates",
        noun: "certificate",
        item: certificate,
        listQuery: certificateListQuery.shape,
        service: { list: svc.certificates.list, get: svc.certificates.get },
      }),
      route({
        method: "POST",
        url: "/api/v1/certificates",
        action: "certificate.request",
        description:
          "Asks for a site's certificate (or changes its options) and enqueues the task ordering it by ACME http-01.",
        body: certificateRequest,
        reply: certificateChange,
        status: 201,
        handle: ({ ctx, body }) => svc.certificates.request(ctx, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/certificates/upload",
        action: "certificate.upload",
        description:
          "Installs a certificate made elsewhere on a site, after checking its chain, key, names and validity; the key goes to the node only. Never renewed: warned about before it expires.",
        body: certificateUpload,
        reply: certificate,
        status: 201,
        handle: ({ ctx, body }) => svc.certificates.upload(ctx, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/certificates/panel",
        action: "certificate.panel.read",
        description:
          "The panel's own certificate (STEWARD_TLS_DOMAIN): its serial, expiry, renewal and last error (super users; 404 when the setting is not set).",
        reply: panelCertificate,
        handle: ({ ctx }) => svc.certificates.panel(ctx),
      }),
      route({
        method: "POST",
        url: "/api/v1/certificates/panel/renew",
        action: "certificate.panel.renew",
        description: "Orders the panel's own certificate again now; the answer carries the task.",
        reply: panelCertificate,
        status: 202,
        handle: ({ ctx }) => svc.certificates.renewPanel(ctx),
      }),
      route({
        method: "POST",
        url: "/api/v1/certificates/:id/renew",
        action: "certificate.renew",
        description: "Orders the certificate again now; the answer carries the task.",
        params: idParams,
        reply: certificateChange,
        status: 202,
        handle: ({ ctx, params }) => svc.certificates.renew(ctx, params.id),
      }),
    ],
  );
}
