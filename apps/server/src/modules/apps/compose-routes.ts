import {
  app,
  appCatalog,
  appComposeCreate,
  appComposeUpdate,
  composeAllowances,
  composeAllowancesUpdate,
} from "@steward/contracts/apps";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function appComposeRoutes(fastify: FastifyInstance, svc: Services) {
  declareRoutes(
    fastify,
    ["apps"],
    [
      route({
        method: "POST",
        url: "/api/v1/apps/compose",
        action: "app.create",
        description:
          "Creates an app from a compose file (`compose`, its variables from `env`) or a one-click app of the catalog (`catalog`, its secrets generated) and deploys it (a task: `taskId`). The file is checked first: a refused key is a 400 naming it (`compose.services.web.privileged`).",
        body: appComposeCreate,
        reply: app,
        status: 201,
        handle: ({ ctx, body }) => svc.appCompose.create(ctx, body),
      }),
      route({
        method: "PUT",
        url: "/api/v1/apps/:id/compose",
        action: "app.compose",
        description:
          "A compose app's new file (its variables kept), checked like a new one and deployed at once (a task: `taskId`); a redeploy that fails brings the previous stack back.",
        params: idParams,
        body: appComposeUpdate,
        reply: app,
        status: 202,
        handle: ({ ctx, params, body }) => svc.appCompose.update(ctx, params.id, body.compose),
      }),
      route({
        method: "GET",
        url: "/api/v1/app-catalog",
        action: "app.catalog",
        description: "The one-click apps: compose templates and the variables they read.",
        reply: appCatalog,
        handle: () => svc.appCompose.catalog(),
      }),
      route({
        method: "GET",
        url: "/api/v1/nodes/:id/compose-allow",
        action: "node.compose_allow",
        description:
          "What compose files may ask of the node beyond an app's sandbox (super users).",
        params: idParams,
        reply: composeAllowances,
        handle: ({ ctx, params }) => svc.appCompose.allowances(ctx, params.id),
      }),
      route({
        method: "PUT",
        url: "/api/v1/nodes/:id/compose-allow",
        action: "node.compose_allow",
        description:
          "Sets what compose files may ask of the node beyond an app's sandbox: privileged, host-network, host-pid, host-ipc, host-userns, devices, cap-add, security-unconfined, host-paths (super users).",
        params: idParams,
        body: composeAllowancesUpdate,
        reply: composeAllowances,
        handle: ({ ctx, params, body }) => svc.appCompose.setAllowances(ctx, params.id, body.allow),
      }),
    ],
  );
}
