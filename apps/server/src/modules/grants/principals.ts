// Who can hold a grant: a user or a group (not the super group, admin everywhere already),
// each read through its owner's repo.
import type { Kysely } from "kysely";
import { isSuperGroup } from "../../access/policies/groups.ts";
import type { Database, GrantTable } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import { groupExists } from "../groups/repo.ts";
import { userExists } from "../users/repo.ts";

/** Throws a 400 naming `principalId` unless the principal exists and may hold grants. */
export async function checkPrincipal(
  db: Kysely<Database>,
  type: GrantTable["principal_type"],
  id: string,
): Promise<void> {
  if (type === "group" && isSuperGroup(id))
    throw invalid("principalId", "the super group is admin everywhere; it takes no grants");
  const exists = type === "user" ? await userExists(db, id) : await groupExists(db, id);
  if (!exists) throw invalid("principalId", `no ${type} with id ${id}`);
}
