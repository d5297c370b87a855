// Dispatch tests: webhook channels against the recording fake, rules, events recorded as their
// producers do, and reading what became of them (deliveries, requests).
import type { EventType } from "@steward/contracts/notifications";
import { expect } from "vitest";
import { newId } from "../lib/ids.ts";
import { recordEvent } from "../modules/events/record.ts";
import type { Fake, Handler } from "../modules/notifications/channels/fakes/server.ts";
import { webhookFake } from "../modules/notifications/channels/fakes/webhook.ts";
import { deliveriesBy } from "../modules/notifications/dispatch/repo.ts";
import { insertRule } from "../modules/notifications/rules/repo.ts";
import type { TestServer } from "./harness.ts";

export const HOOK_SECRET = "whsec_dispatch_0123456789";

/** A webhook channel of an account (or the installation) at its own path on the fake. */
export async function webhookChannel(
  s: TestServer,
  key: string,
  account: string | null,
  name: string,
  fake: Fake,
) {
  const res = await s.request("POST", "/api/v1/notification-channels", {
    key,
    body: {
      name,
      ...(account ? { account } : {}),
      settings: { kind: "webhook", url: `${fake.url}/hooks/${name}`, secret: HOOK_SECRET },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** A rule straight in its table (the API's own tests go through the API). */
export async function addRule(
  s: TestServer,
  account: string | null,
  settings: object,
  channels: string[],
) {
  const now = Date.now();
  const id = newId("nrl");
  await insertRule(
    s.svc.db.db,
    {
      id,
      account_id: account,
      name: id,
      settings: JSON.stringify(settings),
      created_by: "test",
      created_at: now,
      updated_at: now,
    },
    channels,
  );
  s.svc.ruleCache.invalidate();
  return id;
}

export interface Recorded {
  type: EventType;
  account: string | null;
  target?: { type: string; id: string; name: string } | null;
  fields: Record<string, unknown>;
  groupKey?: string;
  summary?: string;
}

export const record = (s: TestServer, e: Recorded) =>
  s.svc.db.db.transaction().execute((trx) =>
    recordEvent(trx, {
      type: e.type,
      accountId: e.account,
      target: e.target ?? null,
      summary: e.summary ?? `${e.type} ${e.target?.name ?? ""}`,
      fields: e.fields,
      groupKey: e.groupKey ?? null,
    }),
  );

/** A failing site's event, as the sites module records it. */
export const siteEvent = (account: string, domain: string, node = "nod_x") => ({
  type: "site.failed" as const,
  accountId: account,
  target: { type: "site", id: `sit_${domain}`, name: domain },
  fields: { siteId: `sit_${domain}`, domain, nodeName: "web-1", error: "nginx -t failed" },
  groupKey: `node:${node}`,
  summary: `site ${domain} failed`,
});

export const siteFailed = (s: TestServer, account: string, domain: string, node = "nod_x") =>
  s.svc.db.db.transaction().execute((trx) => recordEvent(trx, siteEvent(account, domain, node)));

/**
 * The webhook fake, except that the first request to each path under /hooks/`prefix` answers
 * 500 (a provider down for a moment: the delivery is retried).
 */
export function failingFirst(prefix: string): Handler {
  const refused = new Set<string>();
  return (request, fake) => {
    if (!request.path.startsWith(`/hooks/${prefix}`) || refused.has(request.path))
      return webhookFake(HOOK_SECRET)(request, fake);
    refused.add(request.path);
    return { status: 500, body: { error: "upstream is down" } };
  };
}

/** The webhook requests a channel's path received, their bodies parsed. */
export const hooks = (fake: Fake, name: string) =>
  fake.requests
    .filter((r) => r.path === `/hooks/${name}`)
    .map((r) => JSON.parse(r.body) as { subject: string; text: string; severity: string });

export const deliveriesOf = (s: TestServer, column: "rule_id" | "channel_id", id: string) =>
  deliveriesBy(s.svc.db.db, column, id);

/** Waits until `check` holds (the dispatcher and the workers run in the background). */
export const until = (check: () => Promise<boolean> | boolean, timeout = 30_000) =>
  expect.poll(check, { timeout, interval: 100 }).toBe(true);
