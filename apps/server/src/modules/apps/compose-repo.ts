// Every line of SQL of the app_compose_allowances table: what compose files may ask of a node.
import type { ComposeAllowance } from "@steward/contracts/apps";
import { composeAllowance } from "@steward/contracts/apps";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema.ts";

const stored = z.array(composeAllowance);

export async function allowancesOf(
  db: Kysely<Database>,
  nodeId: string,
): Promise<ComposeAllowance[]> {
  const row = await db
    .selectFrom("app_compose_allowances")
    .select("allow")
    .where("node_id", "=", nodeId)
    .executeTakeFirst();
  if (!row) return [];
  const parsed = stored.safeParse(JSON.parse(row.allow));
  return parsed.success ? parsed.data : [];
}

export async function setAllowances(
  db: Kysely<Database>,
  nodeId: string,
  allow: ComposeAllowance[],
) {
  await db.deleteFrom("app_compose_allowances").where("node_id", "=", nodeId).execute();
  if (allow.length)
    await db
      .insertInto("app_compose_allowances")
      .values({ node_id: nodeId, allow: JSON.stringify(allow), updated_at: Date.now() })
      .execute();
}
