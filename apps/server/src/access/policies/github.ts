// GitHub templates and sign in with GitHub (issue 16): the installation's GitHub App, its
// OAuth App for signing in and the template catalog are super users' to set; an account's
// readers see its templates and generated repositories, its admins generate repositories
// from its templates.
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

const installation = (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system");

export const github = {
  /** see and change the GitHub App (its id, key, default owner) */
  canManageApp: installation,
  /** see and change sign in with GitHub (the OAuth App's client id and secret) */
  canManageSignIn: installation,
  /** add a template to an account's catalog, or remove one */
  canManageCatalog: installation,
  /** see an account's templates and generated repositories; refused means "does not exist" */
  canRead: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** generate a repository from one of the account's templates */
  canGenerate: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
};
