import {
  accountCreate,
  accountListQuery,
  accountMemberAdd,
  accountSorts,
  accountUpdate,
  grantInput,
  groupCreate,
  groupListQuery,
  groupSorts,
} from "@steward/contracts";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  pageOptions,
  parse,
  resolveUser,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";

import { listCommand, lookup, paging, removal } from "./shapes.ts";

const page = (o: { limit: string; cursor?: string }) => pageOptions(o);

export function accountCommands(program: Command, g: () => GlobalOptions) {
  const account = program.command("account");
  listCommand(account, [["--q <text>", "part of the name or slug"]], accountSorts).action(
    async (o) => {
      const f = parse(accountListQuery, { q: o.q, sort: o.sort });
      const paged = page(o);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.accounts.list(ctx, { ...f, ...paged })),
      );
    },
  );
  account
    .command("create")
    .requiredOption("--slug <slug>")
    .requiredOption("--name <name>")
    .action(async (o) => {
      const input = parse(accountCreate, { slug: o.slug, name: o.name });
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.accounts.create(ctx, input)),
      );
    });
  lookup(account, g, {
    command: ["show", "<account>", "id or slug"],
    fetch: (svc, ctx, ref) => svc.accounts.get(ctx, ref),
  });
  account
    .command("rename")
    .argument("<account>", "id or slug")
    .requiredOption("--name <name>")
    .action(async (a, o) => {
      const input = parse(accountUpdate, { name: o.name });
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.accounts.update(ctx, a, input)),
      );
    });
  removal(account, g, {
    command: ["delete", "<account>", "id or slug"],
    answer: "deleted",
    confirmAs: "account",
    remove: (svc, ctx, ref) => svc.accounts.remove(ctx, ref),
  });
  paging(account.command("members").argument("<account>", "id or slug")).action(async (a, o) =>
    withServices(g(), async (svc, ctx) => print(g(), await svc.accounts.members(ctx, a, page(o)))),
  );
  account
    .command("add-member")
    .argument("<account>", "id or slug")
    .option("--user <user>", "email or id")
    .option("--group <group>", "group name or id")
    .option("--role <role>", "read, operate or admin", "read")
    .action(async (a, o) =>
      withServices(g(), async (svc, ctx) => {
        const principal = await principalOf(svc, ctx, o);
        const input = parse(accountMemberAdd, { ...principal, role: o.role });
        await svc.accounts.addMember(ctx, a, input);
        print(g(), {
          account: a,
          member: `${principal.principalType}:${principal.principalId}`,
          role: input.role,
        });
      }),
    );
  account
    .command("remove-member")
    .argument("<account>", "id or slug")
    .option("--user <user>", "email or id")
    .option("--group <group>", "group name or id")
    .action(async (a, o) =>
      withServices(g(), async (svc, ctx) => {
        const p = await principalOf(svc, ctx, o);
        await svc.accounts.removeMember(ctx, a, p.principalType, p.principalId);
        print(g(), { account: a, removed: `${p.principalType}:${p.principalId}` });
      }),
    );
}

type Svc = Parameters<Parameters<typeof withServices>[1]>[0];
type CtxT = Parameters<Parameters<typeof withServices>[1]>[1];

async function principalOf(svc: Svc, ctx: CtxT, o: { user?: string; group?: string }) {
  if (!!o.user === !!o.group) throw new UsageError("--user or --group: give exactly one");
  if (o.user)
    return {
      principalType: "user" as const,
      principalId: (await resolveUser(svc, ctx, o.user)).id,
    };
  return {
    principalType: "group" as const,
    principalId: (await svc.groups.get(ctx, String(o.group))).id,
  };
}

export function groupCommands(program: Command, g: () => GlobalOptions) {
  const group = program.command("group");
  listCommand(group, [], groupSorts).action(async (o) => {
    const f = parse(groupListQuery, { sort: o.sort });
    const paged = page(o);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.groups.list(ctx, { ...f, ...paged })),
    );
  });
  group
    .command("create")
    .argument("<name>")
    .option("--description <text>", "what the group is for", "")
    .action(async (name, o) => {
      const input = parse(groupCreate, { name, description: o.description }, { name: "<name>" });
      await withServices(g(), async (svc, ctx) => print(g(), await svc.groups.create(ctx, input)));
    });
  removal(group, g, {
    command: ["delete", "<group>", "name or id"],
    answer: "deleted",
    confirmAs: "group",
    remove: (svc, ctx, ref) => svc.groups.remove(ctx, ref),
  });
  paging(group.command("members").argument("<group>", "name or id")).action(async (name, o) =>
    withServices(g(), async (svc, ctx) => print(g(), await svc.groups.members(ctx, name, page(o)))),
  );
  for (const [cmd, add] of [
    ["add-member", true],
    ["remove-member", false],
  ] as const) {
    group
      .command(cmd)
      .argument("<group>", "name or id")
      .requiredOption("--user <user>", "email or id")
      .action(async (name, o) =>
        withServices(g(), async (svc, ctx) => {
          const u = await resolveUser(svc, ctx, o.user);
          if (add) await svc.groups.addMember(ctx, name, u.id);
          else await svc.groups.removeMember(ctx, name, u.id);
          print(g(), { group: name, [add ? "added" : "removed"]: u.email });
        }),
      );
  }
}

export function grantCommands(program: Command, g: () => GlobalOptions) {
  const grant = program.command("grant");
  listCommand(grant, [
    ["--user <user>", "email or id"],
    ["--group <group>", "name or id"],
    ["--account <account>", "id or slug"],
  ]).action(async (o) =>
    withServices(g(), async (svc, ctx) => {
      const p = o.user || o.group ? await principalOf(svc, ctx, o) : {};
      const scope = o.account
        ? { scopeType: "account" as const, scopeId: await accountIdOf(svc, ctx, o.account) }
        : {};
      print(g(), await svc.grants.list(ctx, { ...p, ...scope, ...page(o) }), [
        "id",
        "principalType",
        "principalName",
        "scopeType",
        "scopeId",
        "role",
      ]);
    }),
  );
  grant
    .command("set")
    .description("set a role; 'none' blocks what would be inherited")
    .option("--user <user>", "email or id")
    .option("--group <group>", "name or id")
    .option("--account <account>", "id or slug (account scope)")
    .option("--resource <type:id>", "one resource")
    .option("--global", "everything")
    .requiredOption("--role <role>", "none, read, operate or admin")
    .action(async (o) =>
      withServices(g(), async (svc, ctx) => {
        const p = await principalOf(svc, ctx, o);
        const scopes = [o.account, o.resource, o.global].filter(Boolean).length;
        if (scopes !== 1)
          throw new UsageError("--account, --resource or --global: give exactly one");
        if (o.resource !== undefined && !String(o.resource).includes(":"))
          throw new UsageError("--resource: must be <type>:<id>, e.g. site:abc123");
        const scope = o.global
          ? { scopeType: "global", scopeId: null }
          : o.account
            ? { scopeType: "account", scopeId: await accountIdOf(svc, ctx, o.account) }
            : { scopeType: "resource", scopeId: o.resource };
        const input = parse(
          grantInput,
          { ...p, ...scope, role: o.role },
          { scopeId: "--resource", role: "--role" },
        );
        print(g(), await svc.grants.set(ctx, input));
      }),
    );
  removal(grant, g, {
    command: ["remove", "<grant-id>"],
    answer: "removed",
    remove: (svc, ctx, ref) => svc.grants.remove(ctx, ref),
  });
}
