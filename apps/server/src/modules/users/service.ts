import type { userCreate, userListQuery, userUpdate } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { capabilitiesOf } from "../../access/policies/index.ts";
import { users } from "../../access/policies/users.ts";
import { keepSuperOnDisable, SUPER_GROUP } from "../../access/service.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import { diffOf } from "../../audit/redact.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { AppError, conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { deleteKeysOf } from "../apikeys/repo.ts";
import * as groups from "../groups/repo.ts";
import * as repo from "./repo.ts";

export interface UsersDeps {
  db: Db;
  hashPassword(password: string): Promise<string>;
  /**
   * Runs in the transaction that creates the first super user (first-run setup, or
   * `steward user create --super` on a fresh installation): installs the default tasks.
   */
  onFirstSuper?(trx: Kysely<Database>): Promise<void>;
  /**
   * Keeps what `me` reads for a few seconds, dropped on every change of users, sessions,
   * keys, passkeys, groups and grants (access/actor-cache.ts): `GET /api/v1/me` makes no
   * round trip for a caller who asks again.
   */
  remember?<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function createUsersService({ db, hashPassword, onFirstSuper, remember }: UsersDeps) {
  const { db: k } = db;

  async function mustFind(id: string) {
    const user = await repo.findUser(k, id);
    if (!user) throw notFound(`user ${id}`);
    return user;
  }

  return {
    async list(
      ctx: Ctx,
      query: z.infer<typeof userListQuery> & { limit: number; cursor?: string },
    ) {
      enforce(ctx, users.canManage(ctx));
      return repo.listUsers(k, {
        q: query.q,
        disabled: query.disabled === undefined ? undefined : query.disabled === "true",
        limit: query.limit,
        walk: repo.userOrder(query.sort, query.cursor),
      });
    },

    async get(ctx: Ctx, id: string) {
      enforce(ctx, users.canRead(ctx, id));
      return mustFind(id);
    },

    /** The caller and what the console may offer them. */
    async me(ctx: Ctx) {
      const id = ctx.actor?.userId ?? "";
      enforce(ctx, users.canRead(ctx, id));
      const self = remember ? await remember(`me:${id}`, () => mustFind(id)) : await mustFind(id);
      return { ...self, can: capabilitiesOf(ctx) };
    },

    async findByEmail(email: string) {
      return repo.findUserByEmail(k, email.toLowerCase());
    },

    async create(ctx: Ctx, input: z.infer<typeof userCreate>) {
      enforce(ctx, users.canManage(ctx));
      return createUnchecked(ctx, input, "user.create");
    },

    async update(ctx: Ctx, id: string, patch: z.infer<typeof userUpdate>) {
      enforce(ctx, patch.disabled !== undefined ? users.canManage(ctx) : users.canEdit(ctx, id));
      const before = await mustFind(id);
      if (patch.disabled === true) await keepSuperOnDisable(k, before);
      await k.transaction().execute(async (trx) => {
        await repo.updateUserRow(trx, id, patch);
        if (patch.disabled === true) await repo.deleteSessions(trx, id);
        const action =
          patch.disabled === true
            ? "user.disable"
            : patch.disabled === false
              ? "user.enable"
              : "user.update";
        await recordAudit(trx, ctx, {
          action,
          targetType: "user",
          targetId: id,
          diff: diffOf(
            { name: before.name, disabled: before.disabled },
            { name: before.name, disabled: before.disabled, ...patch },
          ),
        });
      });
      return mustFind(id);
    },

    async setPassword(ctx: Ctx, id: string, password: string) {
      enforce(ctx, users.canManage(ctx));
      await mustFind(id);
      const hash = await hashPassword(password);
      // whoever knew the old password may have made sessions or keys with it: all end
      await k.transaction().execute(async (trx) => {
        await repo.setPasswordHash(trx, id, hash);
        const sessionsEnded = await repo.deleteSessions(trx, id);
        const apiKeysRevoked = await deleteKeysOf(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf("user", id, "password_set", {
            sessionsEnded: Number(sessionsEnded),
            revokedKeys: Number(apiKeysRevoked),
          }),
        );
      });
    },

    async resetSecondFactor(ctx: Ctx, id: string, opts: { passkeys: boolean }) {
      enforce(ctx, users.canManage(ctx));
      const before = await mustFind(id);
      await k.transaction().execute(async (trx) => {
        await repo.resetSecondFactor(trx, id, opts.passkeys);
        await recordAudit(trx, ctx, {
          action: "user.reset_2fa",
          targetType: "user",
          targetId: id,
          diff: {
            twoFactorEnabled: { from: before.twoFactorEnabled, to: false },
            passkeysRemoved: opts.passkeys ? before.passkeys : 0,
          },
        });
      });
      return mustFind(id);
    },

    /** Unlinks the user's GitHub account, so GitHub no longer signs them in (idempotent). */
    async unlinkGithub(ctx: Ctx, id: string) {
      enforce(ctx, users.canManage(ctx));
      const before = await mustFind(id);
      if (before.githubLinked)
        await k.transaction().execute(async (trx) => {
          await repo.unlinkGithub(trx, id);
          await recordAudit(
            trx,
            ctx,
            changeOf("user", id, "unlink_github", { githubLinked: { from: true, to: false } }),
          );
        });
      return mustFind(id);
    },

    /** Creation without the authorization check: used by first-run setup. */
    createUnchecked,

    count: () => repo.countUsers(k),
  };

  async function createUnchecked(ctx: Ctx, input: z.infer<typeof userCreate>, action: string) {
    if (await repo.findUserByEmail(k, input.email)) {
      throw conflict(`a user with email ${input.email} already exists`, "email");
    }
    const id = newId("user");
    const passwordHash = await hashPassword(input.password);
    const name = input.name ?? input.email.split("@")[0] ?? input.email;
    await k.transaction().execute(async (trx) => {
      await repo.insertUser(trx, {
        id,
        email: input.email,
        name,
        passwordHash,
        accountRowId: newId("acco"),
      });
      if (input.super) {
        const first = !(await groups.hasMembers(trx, SUPER_GROUP));
        await groups.addMember(trx, SUPER_GROUP, id);
        if (first) await onFirstSuper?.(trx);
      }
      await recordAudit(trx, ctx, {
        action,
        targetType: "user",
        targetId: id,
        diff: { after: { email: input.email, name, super: input.super } },
      });
    });
    const user = await repo.findUser(k, id);
    if (!user) throw new AppError("INTERNAL", "user vanished after creation");
    return user;
  }
}

export type UsersService = ReturnType<typeof createUsersService>;
