import { page } from "@steward/contracts";
import {
  deliveryListQuery,
  notificationDelivery,
  notificationRule,
  notificationSettings,
  ruleCreate,
  ruleListQuery,
  ruleUpdate,
} from "@steward/contracts/notifications";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../../http/declare.ts";
import { idParams, paged } from "../../../http/route.ts";
import type { Services } from "../../../services.ts";

export function notificationRulesRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["notification rules"],
    [
      ...crudRoutes({
        base: "/api/v1/notification-rules",
        noun: "notification_rule",
        item: notificationRule,
        listQuery: ruleListQuery.shape,
        create: ruleCreate,
        createDescription:
          "Without `account`, an installation-wide rule (super users only): it sees every " +
          "account's events. Channels must be of the rule's scope.",
        update: ruleUpdate,
        deletable: true,
        service: svc.rules,
      }),
      route({
        method: "GET",
        url: "/api/v1/notification-channels/:id/deliveries",
        action: "notification_delivery.list",
        description: "The channel's delivery log, newest first (the request's secrets redacted).",
        params: idParams,
        query: paged(deliveryListQuery.shape),
        reply: page(notificationDelivery),
        handle: ({ ctx, params, query }) => svc.deliveries.list(ctx, params.id, query),
      }),
      route({
        method: "GET",
        url: "/api/v1/notification-deliveries/:id",
        action: "notification_delivery.read",
        params: idParams,
        reply: notificationDelivery,
        handle: ({ ctx, params }) => svc.deliveries.get(ctx, params.id),
      }),
      route({
        method: "GET",
        url: "/api/v1/notification-settings",
        action: "notification_settings.read",
        description:
          "The installation's emergency contact: where critical events no rule takes go.",
        reply: notificationSettings,
        handle: ({ ctx }) => svc.rules.settings(ctx),
      }),
      route({
        method: "PUT",
        url: "/api/v1/notification-settings",
        action: "notification_settings.update",
        body: notificationSettings,
        reply: notificationSettings,
        handle: ({ ctx, body }) => svc.rules.putSettings(ctx, body),
      }),
    ],
  );
}
