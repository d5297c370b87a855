// bench:api's callers, made the way the panel makes them: users, a group and grants through
// the services before the panel starts; sessions and API keys through the HTTP API after.
//   super  a super user
//   admin  admin on a few accounts through a group
//   none   an explicit `none` everywhere (a global grant) and read on one account
import { signInCookie } from "@steward/web/e2e/harness";
import type { Seeding } from "../lib/services.ts";
import type { Author } from "./history.ts";

export const ACTORS = ["super", "admin", "none"] as const;
export type ActorName = (typeof ACTORS)[number];
export const PASSWORD = "correct horse battery staple";
export const ADMIN_ACCOUNTS = 5;

export type Users = Record<ActorName, Author>;

export async function createUsers({ svc, ctx }: Seeding): Promise<Users> {
  const make = async (name: ActorName) => {
    const email = `bench-${name}@example.com`;
    const user = await svc.users.create(ctx, {
      email,
      password: PASSWORD,
      super: name === "super",
    });
    return { id: user.id, email };
  };
  return { super: await make("super"), admin: await make("admin"), none: await make("none") };
}

/** Grants on the seeded accounts (the first ones by id); returns the accounts the admin manages. */
export async function grantAccess({ svc, ctx }: Seeding, users: Users): Promise<string[]> {
  const page = await svc.accounts.list(ctx, { limit: ADMIN_ACCOUNTS });
  const accounts = page.items.map((a) => a.id);
  const group = await svc.groups.create(ctx, { name: "bench-admins", description: "bench:api" });
  await svc.groups.addMember(ctx, group.id, users.admin.id);
  for (const account of accounts)
    await svc.grants.set(ctx, {
      principalType: "group",
      principalId: group.id,
      scopeType: "account",
      scopeId: account,
      role: "admin",
    });
  const none = { principalType: "user" as const, principalId: users.none.id };
  await svc.grants.set(ctx, { ...none, scopeType: "global", role: "none" });
  await svc.grants.set(ctx, { ...none, scopeType: "account", scopeId: accounts[0], role: "read" });
  return accounts;
}

export interface Credentials {
  cookie: Record<string, string>;
  key: Record<string, string>;
}

/** Signs a user in (a session cookie) and creates an API key with that session. */
export async function credentialsOf(url: string, email: string): Promise<Credentials> {
  const port = Number(new URL(url).port);
  const cookie = await signInCookie(port, url, email, PASSWORD);
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/api-keys`, {
    method: "POST",
    headers: { cookie, origin: url, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench" }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { key?: string };
  if (!body.key) throw new Error(`no API key for ${email}: ${JSON.stringify(body)}`);
  return { cookie: { cookie, origin: url }, key: { authorization: `Bearer ${body.key}` } };
}
