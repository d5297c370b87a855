// The installation's default account: where a site goes when none is named, created (and
// audited) the first time it is needed.
import type { Kysely } from "kysely";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import * as repo from "./repo.ts";

export const DEFAULT_ACCOUNT = "default";

/** The default account's id, made in the caller's transaction when there is none yet. */
export async function ensureDefault(db: Kysely<Database>, ctx: Ctx): Promise<string> {
  const found = await repo.findAccount(db, DEFAULT_ACCOUNT);
  if (found) return found.id;
  const id = newId("acc");
  await repo.insertAccount(db, { id, slug: DEFAULT_ACCOUNT, name: "Default" });
  await recordAudit(db, ctx, {
    action: "account.create",
    targetType: "account",
    targetId: id,
    accountId: id,
    diff: {
      after: { slug: DEFAULT_ACCOUNT, name: "Default" },
      reason: "first site without an account",
    },
  });
  return id;
}
