// The account a new resource names must exist: a super user may create in any account, and
// most tables have no foreign key to refuse an id that names none.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { invalid } from "../../lib/errors.ts";
import { accountExists } from "./repo.ts";

/** Refuses (400 naming `field`) an account id that names no account. */
export async function requireAccount(db: Kysely<Database>, id: string, field: string) {
  if (!(await accountExists(db, id))) throw invalid(field, `no account with id ${id}`);
}
