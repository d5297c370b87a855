import { page } from "@steward/contracts";
import {
  mailAliasChange,
  mailAliasCreate,
  mailAliasItem,
  mailboxChange,
  mailboxCreate,
  mailboxItem,
  mailboxPassword,
  mailboxUpdate,
  mailChildListQuery,
  mailDomainChange,
  mailDomainCreate,
  mailDomainDetail,
  mailDomainItem,
  mailDomainListQuery,
  mailDomainUpdate,
} from "@steward/contracts/mail";
import type { FastifyInstance } from "fastify";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { mailboxRoutes } from "./mailbox-routes.ts";

const DOMAINS = "/api/v1/mail/domains";

export function mailRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["mail"],
    [
      ...crudRoutes({
        base: DOMAINS,
        noun: "mail.domain",
        item: mailDomainDetail,
        listItem: mailDomainItem,
        listQuery: mailDomainListQuery.shape,
        service: { list: svc.mail.list, get: svc.mail.get },
      }),
      route({
        method: "POST",
        url: DOMAINS,
        action: "mail.domain.create",
        description:
          "Serves a mail domain (an internationalised name becomes punycode) on a node's Postfix and Dovecot; enqueues the task that applies it.",
        body: mailDomainCreate,
        reply: mailDomainChange,
        status: 201,
        handle: ({ ctx, body }) => svc.mail.create(ctx, body),
      }),
      route({
        method: "PATCH",
        url: `${DOMAINS}/:id`,
        action: "mail.domain.update",
        description:
          "Names the site (of the domain's account, on its node) whose certificate the node's Postfix and Dovecot serve, or none; applied now and again on every renewal of that certificate.",
        params: idParams,
        body: mailDomainUpdate,
        reply: mailDomainChange,
        handle: ({ ctx, params, body }) => svc.mail.update(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: `${DOMAINS}/:id`,
        action: "mail.domain.delete",
        description:
          "Stops serving the domain; its mailboxes and aliases are deleted once the node no longer serves it (Maildirs stay on the node).",
        params: idParams,
        reply: mailDomainChange,
        status: 202,
        handle: ({ ctx, params }) => svc.mail.remove(ctx, params.id),
      }),
      route({
        method: "POST",
        url: `${DOMAINS}/:id/apply`,
        action: "mail.domain.apply",
        description: "Applies the node's mail again as it stands.",
        params: idParams,
        reply: mailDomainChange,
        status: 202,
        handle: ({ ctx, params }) => svc.mail.apply(ctx, params.id),
      }),
      route({
        method: "GET",
        url: `${DOMAINS}/:id/mailboxes`,
        action: "mail.mailbox.list",
        description: "The domain's mailboxes in creation order (never a password or its hash).",
        params: idParams,
        query: paged(mailChildListQuery.shape),
        reply: page(mailboxItem),
        handle: ({ ctx, params, query }) => svc.mail.mailboxes(ctx, params.id, query),
      }),
      route({
        method: "POST",
        url: `${DOMAINS}/:id/mailboxes`,
        action: "mail.mailbox.create",
        description:
          "Creates a mailbox (its password hashed with argon2id for Dovecot; only the hash is kept) and enqueues the domain's apply.",
        params: idParams,
        body: mailboxCreate,
        reply: mailboxChange,
        status: 201,
        handle: ({ ctx, params, body }) => svc.mail.createMailbox(ctx, params.id, body),
      }),
      route({
        method: "PATCH",
        url: "/api/v1/mail/mailboxes/:id",
        action: "mail.mailbox.update",
        description:
          "Changes a mailbox's quota, mode (both, send-only: refused at RCPT, receive-only: refused SMTP AUTH) or enables/disables it (a disabled one is refused at RCPT and login).",
        params: idParams,
        body: mailboxUpdate,
        reply: mailboxChange,
        handle: ({ ctx, params, body }) => svc.mail.updateMailbox(ctx, params.id, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/mail/mailboxes/:id/password",
        action: "mail.mailbox.password",
        description:
          "Sets a mailbox's password (hashed; the audit log records that it changed, not the value).",
        params: idParams,
        body: mailboxPassword,
        reply: mailboxChange,
        handle: ({ ctx, params, body }) => svc.mail.setMailboxPassword(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/mail/mailboxes/:id",
        action: "mail.mailbox.delete",
        description:
          "Removes a mailbox: refused at RCPT and login once applied; its Maildir stays on the node.",
        params: idParams,
        reply: mailboxChange,
        handle: ({ ctx, params }) => svc.mail.removeMailbox(ctx, params.id),
      }),
      ...mailboxRoutes(svc),
      route({
        method: "GET",
        url: `${DOMAINS}/:id/aliases`,
        action: "mail.alias.list",
        description: "The domain's aliases and forwards (the catch-all's source is @domain).",
        params: idParams,
        query: paged(mailChildListQuery.shape),
        reply: page(mailAliasItem),
        handle: ({ ctx, params, query }) => svc.mail.aliases(ctx, params.id, query),
      }),
      route({
        method: "POST",
        url: `${DOMAINS}/:id/aliases`,
        action: "mail.alias.create",
        description:
          "Creates an alias or forward (to addresses here or elsewhere), or the domain's catch-all (catchAll: true).",
        params: idParams,
        body: mailAliasCreate,
        reply: mailAliasChange,
        status: 201,
        handle: ({ ctx, params, body }) => svc.mail.createAlias(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/mail/aliases/:id",
        action: "mail.alias.delete",
        params: idParams,
        reply: mailAliasChange,
        handle: ({ ctx, params }) => svc.mail.removeAlias(ctx, params.id),
      }),
    ],
  );
}
