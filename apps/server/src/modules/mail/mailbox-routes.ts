// A mailbox's autoresponder and usage, and an account's mail usage (docs/mail.md): routes
// declared with the mail module's (routes.ts).
import {
  accountMailUsage,
  autoresponder,
  mailboxChange,
  mailboxUsageAnswer,
} from "@steward/contracts/mail";
import { route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const MAILBOX = "/api/v1/mail/mailboxes/:id";

export const mailboxRoutes = (svc: Services) => [
  route({
    method: "PUT",
    url: `${MAILBOX}/autoresponder`,
    action: "mail.mailbox.autoresponder.set",
    description:
      "Sets the mailbox's autoresponder: a vacation reply (subject, body) once per sender in `days`, between the start and end days (UTC) when given; the node compiles its Sieve script before use.",
    params: idParams,
    body: autoresponder,
    reply: mailboxChange,
    handle: ({ ctx, params, body }) => svc.mail.setAutoresponder(ctx, params.id, body),
  }),
  route({
    method: "DELETE",
    url: `${MAILBOX}/autoresponder`,
    action: "mail.mailbox.autoresponder.delete",
    description: "Removes the mailbox's autoresponder (its Sieve script goes from the node).",
    params: idParams,
    reply: mailboxChange,
    handle: ({ ctx, params }) => svc.mail.removeAutoresponder(ctx, params.id),
  }),
  route({
    method: "GET",
    url: `${MAILBOX}/usage`,
    action: "mail.mailbox.usage",
    description:
      "What the mailbox holds (bytes, messages, percent of its quota) at the last sampling, and its hourly history of the last 30 days (the recurring task mail.usage samples every 15 minutes).",
    params: idParams,
    reply: mailboxUsageAnswer,
    handle: ({ ctx, params }) => svc.mail.mailboxUsage(ctx, params.id),
  }),
  route({
    method: "GET",
    url: "/api/v1/accounts/:id/mail-usage",
    action: "mail.account.usage",
    description:
      "The account's mailboxes together: how many, their bytes and messages at the last sampling, and per UTC day over the last 30 days (the sums of each mailbox's last sample of the day).",
    params: idParams,
    reply: accountMailUsage,
    handle: ({ ctx, params }) => svc.mail.accountUsage(ctx, params.id),
  }),
];
