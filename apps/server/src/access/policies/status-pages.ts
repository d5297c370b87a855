// Status pages belong to an account: its admins see and manage them (what they publish is the
// account's to decide), super users all of them. The public page needs no sign-in.
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account } from "./common.ts";

const COLUMNS = { account: "status_pages.account_id" };

export const statusPages = {
  /** see, change, delete a page and its incidents; refused means "does not exist" */
  canManage: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** create a page somewhere (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  /** the pages a list shows */
  listScope: (ctx: Ctx) => listFilter(ctx, "admin", COLUMNS),
  /** index walks covering listScope's rows (its accounts); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "admin", COLUMNS),
};
