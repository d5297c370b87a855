// DNS zones are resources of an account: a grant on the zone, else on its account, decides.
// Reading a zone shows its records; changing them (records, import, apply, delete) needs
// admin, as creating a zone in an account does.
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account } from "./common.ts";

export interface ZoneRef {
  id: string;
  account_id: string;
}

const target = (zone: ZoneRef): Target => ({
  kind: "resource",
  type: "dns_zone",
  id: zone.id,
  accountId: zone.account_id,
});

const COLUMNS = {
  account: "dns_zones.account_id",
  resource: { type: "dns_zone", id: "dns_zones.id" },
};

export const dnsZones = {
  /** see a zone and its records; refused means "does not exist" */
  canRead: (ctx: Ctx, zone: ZoneRef): Decision => holds(ctx, target(zone), "read"),
  /** change its records, import, apply, delete */
  canManage: (ctx: Ctx, zone: ZoneRef): Decision => holds(ctx, target(zone), "admin"),
  /** create a zone in an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** create a zone in some account (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
