// The CMS fleet's update events (docs/notifications.md, "Events"): recorded in the transaction
// of what they tell (the scan's announcement, an update's history entry), as every producer does.
import type { JudgedOffer } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { recordEvent } from "../events/record.ts";
import type { CmsSiteRow } from "./repo.ts";

type Site = Pick<CmsSiteRow, "id" | "account_id" | "name" | "url">;

const siteFields = (s: Site) => ({ siteId: s.id, siteName: s.name, siteUrl: s.url });
const target = (s: Site) => ({ type: "cms_site", id: s.id, name: s.name });

/** "plugin hello/hello.php 1.0.0 → 1.1.0" */
export const describeUpdate = (u: {
  type: string;
  slug: string;
  /** core: WordPress or Joomla (offersOf) */
  name: string;
  from: string | null;
  to: string | null;
}) =>
  `${u.type === "core" ? `core ${u.name}` : `${u.type} ${u.slug}`} ${u.from ?? "?"} → ${u.to ?? "?"}`;

export const updatesAvailable = (
  trx: Kysely<Database>,
  site: Site,
  offers: JudgedOffer[],
  runAt: number | null,
) =>
  recordEvent(trx, {
    type: "cms.update.available",
    accountId: site.account_id,
    target: target(site),
    summary: `${offers.length} update(s) available on ${site.name}`,
    groupKey: `cms-site:${site.id}`,
    fields: {
      ...siteFields(site),
      updates: offers
        .map((o) => `${describeUpdate(o)} (${o.automatic ? "automatic" : (o.reason ?? "")})`)
        .join("\n")
        .slice(0, 4000),
      count: offers.length,
      runAt: runAt === null ? null : new Date(runAt).toISOString(),
    },
  });

export const updatesSucceeded = (
  trx: Kysely<Database>,
  site: Site,
  taskId: string,
  done: string[],
) =>
  recordEvent(trx, {
    type: "cms.update.succeeded",
    accountId: site.account_id,
    target: target(site),
    summary: `${site.name} updated: ${done.join(", ")}`.slice(0, 500),
    fields: { ...siteFields(site), taskId, updates: done.join("\n").slice(0, 4000) },
  });

export const updateFailed = (
  trx: Kysely<Database>,
  site: Site,
  taskId: string,
  update: string,
  error: string,
) =>
  recordEvent(trx, {
    type: "cms.update.failed",
    accountId: site.account_id,
    target: target(site),
    summary: `the update of ${update} on ${site.name} failed`.slice(0, 500),
    fields: {
      ...siteFields(site),
      taskId,
      update: update.slice(0, 255),
      error: error.slice(0, 4000),
    },
  });

export const updateRolledBack = (
  trx: Kysely<Database>,
  site: Site,
  taskId: string,
  update: string,
  error: string,
  restoredVersion: string | null,
) =>
  recordEvent(trx, {
    type: "cms.update.rolled_back",
    accountId: site.account_id,
    target: target(site),
    summary: `the update of ${update} on ${site.name} was rolled back`.slice(0, 500),
    fields: {
      ...siteFields(site),
      taskId,
      update: update.slice(0, 255),
      error: error.slice(0, 4000),
      restoredVersion: restoredVersion?.slice(0, 255) ?? null,
    },
  });
