import type { Migration } from "kysely";
import { hashSessionToken } from "../../auth/session-tokens.ts";

/**
 * Session tokens are stored hashed from now on (auth/session-tokens.ts): the sessions that
 * exist keep working, their stored tokens are replaced by their hashes.
 */
export const m008_session_token_hashes = (): Migration => ({
  async up(db) {
    const rows = (await db.selectFrom("auth_session").select(["id", "token"]).execute()) as {
      id: string;
      token: string;
    }[];
    for (const r of rows)
      await db
        .updateTable("auth_session")
        .set({ token: hashSessionToken(r.token) })
        .where("id", "=", r.id)
        .execute();
  },
});
