// Where a site goes: its node (which must be enrolled and not revoked) and its account (the
// installation's default account when none is named, created the first time it is needed).
import type { Kysely } from "kysely";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";

export async function usableNode(db: Kysely<Database>, nodeId: string) {
  const node = await db
    .selectFrom("nodes")
    .select(["id", "name", "state"])
    .where("id", "=", nodeId)
    .executeTakeFirst();
  if (!node) throw invalid("node", `no node ${nodeId}`);
  if (node.state === "revoked") throw invalid("node", `node ${node.name} is revoked`);
  if (node.state === "pending")
    throw invalid(
      "node",
      `node ${node.name} is not enrolled yet: run steward agent enroll on it first`,
    );
  return node;
}

export const DEFAULT_ACCOUNT = "default";

export async function defaultAccountId(db: Kysely<Database>, ctx: Ctx): Promise<string> {
  const found = await db
    .selectFrom("accounts")
    .select("id")
    .where("slug", "=", DEFAULT_ACCOUNT)
    .executeTakeFirst();
  if (found) return found.id;
  const id = newId("acc");
  const now = Date.now();
  await db
    .insertInto("accounts")
    .values({ id, slug: DEFAULT_ACCOUNT, name: "Default", created_at: now, updated_at: now })
    .execute();
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
