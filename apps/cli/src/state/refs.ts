// The names files use for what they refer to (accounts by slug, nodes and groups by name,
// users by email), with the ids the API takes, as the caller sees them.
import { scopedFileName } from "@steward/contracts/state";
import { type Api, ApiError } from "./api.ts";
import type { Refs } from "./kind.ts";
import { systemUserRefs } from "./kinds/system-users.ts";

const byName = <T>(items: T[], name: (t: T) => string, id: (t: T) => string) =>
  new Map(items.map((t) => [name(t), id(t)]));

/** A list the caller may not read (403) is null, not an error. */
async function visible<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return null;
    throw e;
  }
}

export async function readRefs(api: Api): Promise<Refs> {
  type Named = { id: string; name: string };
  type Scoped = { id: string; name: string; accountId: string | null };
  const [accounts, nodes, groups, users, mailDomains, monitors, channels] = await Promise.all([
    api.all<{ id: string; slug: string }>("/api/v1/accounts"),
    // the nodes a caller may not list are the ones it may place sites on
    visible(() => api.all<Named>("/api/v1/nodes")).then(
      async (all) => all ?? (await api.get<{ items: Named[] }>("/api/v1/sites/placements")).items,
    ),
    visible(() => api.all<Named>("/api/v1/groups")),
    visible(() => api.all<{ id: string; email: string }>("/api/v1/users")),
    visible(() => api.all<Named>("/api/v1/mail/domains")),
    visible(() => api.all<Scoped>("/api/v1/monitors")),
    visible(() => api.all<Scoped>("/api/v1/notification-channels")),
  ]);
  const slugs = new Map(accounts.map((a) => [a.id, a.slug]));
  /** by file name: `<account>--<name>`, or the name alone for the installation's */
  const scoped = (items: Scoped[] | null) =>
    byName(
      items ?? [],
      (x) =>
        scopedFileName({
          account: x.accountId && (slugs.get(x.accountId) ?? x.accountId),
          name: x.name,
        }),
      (x) => x.id,
    );
  const ids = (items: Named[] | null) =>
    byName(
      items ?? [],
      (x) => x.name,
      (x) => x.id,
    );
  return {
    accounts: byName(
      accounts,
      (a) => a.slug,
      (a) => a.id,
    ),
    nodes: ids(nodes),
    groups: ids(groups),
    users:
      users &&
      byName(
        users,
        (u) => u.email,
        (u) => u.id,
      ),
    mailDomains: ids(mailDomains),
    monitors: scoped(monitors),
    channels: scoped(channels),
    systemUsers: await systemUserRefs(api, accounts, nodes ?? []),
  };
}
