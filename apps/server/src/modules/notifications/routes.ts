import {
  channelCreate,
  channelListQuery,
  channelTestResult,
  channelUpdate,
  messageTemplateItem,
  messageTemplateList,
  messageTemplateParams,
  messageTemplatePreview,
  messageTemplatePut,
  notificationChannel,
  renderedTemplate,
} from "@steward/contracts/notifications";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function notificationsRoutes(app: FastifyInstance, svc: Services) {
  const channels = "/api/v1/notification-channels";
  const templates = "/api/v1/message-templates";
  const one = `${templates}/:type/:format`;
  declareRoutes(
    app,
    ["notification channels"],
    [
      ...crudRoutes({
        base: channels,
        noun: "notification_channel",
        item: notificationChannel,
        listQuery: channelListQuery.shape,
        create: channelCreate,
        createDescription:
          "Without `account`, an installation-wide channel (super users only). Secrets are " +
          "sealed at rest and never answered: `secretsSet` names those that are set.",
        update: channelUpdate,
        updateDescription:
          'A secret left out, or sent back as "[redacted]", keeps its stored value.',
        deletable: true,
        service: svc.channels,
      }),
      route({
        method: "POST",
        url: `${channels}/:id/test`,
        action: "notification_channel.test",
        description:
          "Sends the notification.test event now: whether it was delivered, the provider's " +
          "status and answer, and the request sent (secrets redacted).",
        params: idParams,
        reply: channelTestResult,
        handle: ({ ctx, params }) => svc.channels.test(ctx, params.id),
      }),
    ],
  );
  declareRoutes(
    app,
    ["message templates"],
    [
      route({
        method: "GET",
        url: templates,
        action: "message_template.list",
        description: "Every event type in every template format, customised or the default.",
        reply: messageTemplateList,
        handle: ({ ctx }) => svc.templates.list(ctx),
      }),
      route({
        method: "GET",
        url: one,
        action: "message_template.read",
        params: messageTemplateParams,
        reply: messageTemplateItem,
        handle: ({ ctx, params }) => svc.templates.get(ctx, params.type, params.format),
      }),
      route({
        method: "PUT",
        url: one,
        action: "message_template.update",
        description: "Checked before it is saved: a 400 names subject or body and says why.",
        params: messageTemplateParams,
        body: messageTemplatePut,
        reply: messageTemplateItem,
        handle: ({ ctx, params, body }) => svc.templates.put(ctx, params.type, params.format, body),
      }),
      route({
        method: "DELETE",
        url: one,
        action: "message_template.reset",
        description: "Back to the default template; answers the default.",
        params: messageTemplateParams,
        reply: messageTemplateItem,
        handle: ({ ctx, params }) => svc.templates.reset(ctx, params.type, params.format),
      }),
      route({
        method: "POST",
        url: `${templates}/preview`,
        action: "message_template.preview",
        description:
          "Renders the given subject and body (else the stored template) with the type's sample event.",
        body: messageTemplatePreview,
        reply: renderedTemplate,
        handle: ({ ctx, body }) => svc.templates.preview(ctx, body),
      }),
    ],
  );
}
