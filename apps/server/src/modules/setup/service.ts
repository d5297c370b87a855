import { createHash, randomBytes } from "node:crypto";
import type { setupInput } from "@steward/contracts";
import type { z } from "zod";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { AppError } from "../../lib/errors.ts";
import { putSetting, putSettingOnce, takeSetting } from "../settings/repo.ts";
import type { UsersService } from "../users/service.ts";

const KEY = "setup_token_sha256";
const sha = (s: string) => createHash("sha256").update(s).digest();

/**
 * First run: while no user exists, `serve` makes a one-time setup token (only its hash is
 * stored) and logs it; POST /api/v1/setup with it creates the first super user.
 */
export function createSetupService({ db, users }: { db: Db; users: UsersService }) {
  const k = db.db;
  return {
    required: async () => (await users.count()) === 0,

    /** A fresh token when setup is still required, otherwise null. */
    async issueToken(): Promise<string | null> {
      if ((await users.count()) > 0) return null;
      const token = randomBytes(24).toString("base64url");
      const value = sha(token).toString("hex");
      await putSetting(k, KEY, value);
      return token;
    },

    async complete(ctx: Ctx, input: z.infer<typeof setupInput>) {
      if ((await users.count()) > 0)
        throw new AppError("ALREADY_SET_UP", "Steward is already set up; sign in instead");
      // Consuming the token row makes concurrent attempts race for it: only one wins.
      const value = sha(input.token).toString("hex");
      if (!(await takeSetting(k, KEY, value))) {
        throw new AppError(
          "FORBIDDEN",
          "token: wrong setup token; use the one `steward serve` logged",
          [{ field: "token", message: "does not match the setup token" }],
        );
      }
      try {
        return await users.createUnchecked(ctx, { ...input, super: true }, "setup.complete");
      } catch (e) {
        await putSettingOnce(k, KEY, value);
        throw e;
      }
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
