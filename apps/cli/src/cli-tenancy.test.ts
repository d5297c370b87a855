// The real `steward` CLI as a child process: accounts, groups and grants.
import { afterAll, describe, expect, it } from "vitest";
import {
  type AuditJson,
  type Cli,
  cliFor,
  PASSWORD,
  type Page,
  removeDataDirs,
  type UserJson,
} from "./testing/cli.ts";

afterAll(removeDataDirs);

interface AccountJson {
  id: string;
  slug: string;
  name: string;
}
interface GrantJson {
  id: string;
  principalType: string;
  principalId: string;
  principalName: string;
  scopeType: string;
  scopeId: string | null;
  role: string;
}
interface GroupJson {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  members: number;
}

const userX = (c: Cli) =>
  c.json<UserJson>(["user", "create", "--email", "x@example.com", "--password", PASSWORD]);

describe.concurrent("steward account, group and grant", () => {
  it("lists sort with --sort, and page through its cursor", async () => {
    const c = cliFor();
    await Promise.all(
      ["acme", "beta"].map((slug) =>
        c.ok(["account", "create", "--slug", slug, "--name", slug.toUpperCase()]),
      ),
    );
    const [sorted, first, groups] = await Promise.all([
      c.json<Page<AccountJson>>(["account", "list", "--sort=-name"]),
      c.json<Page<AccountJson>>(["account", "list", "--sort", "name", "--limit", "1"]),
      c.json<Page<GroupJson>>(["group", "list", "--sort", "-name"]),
    ]);
    expect(sorted.items.map((a) => a.slug)).toEqual(["beta", "acme"]);
    const next = ["account", "list", "--sort", "name", "--cursor", `${first.nextCursor}`];
    expect((await c.json<Page<AccountJson>>(next)).items.map((a) => a.slug)).toEqual(["beta"]);
    const names = groups.items.map((group) => group.name);
    expect(names).toEqual([...names].sort().reverse());
    // each step starts a `steward` process
  }, 180_000);

  it("accounts: create, list, show, members, delete only with --yes", async () => {
    const c = cliFor();
    const x = await userX(c);
    const acme = await c.json<AccountJson>([
      "account",
      "create",
      "--slug",
      "acme",
      "--name",
      "Acme",
    ]);
    expect(acme).toMatchObject({ slug: "acme", name: "Acme" });
    const [list, human, byId] = await Promise.all([
      c.json<Page<AccountJson>>(["account", "list"]),
      c.ok(["account", "list"]),
      c.json<AccountJson>(["account", "show", acme.id]),
    ]);
    expect(list.items.map((a) => a.slug)).toEqual(["acme"]);
    expect(human).toMatch(/\bSLUG\s+NAME\b/);
    expect(human).toMatch(/\bacme\s+Acme\b/);
    expect(byId).toEqual(await c.json<AccountJson>(["account", "show", "acme"]));

    expect(
      await c.json([
        "account",
        "add-member",
        "acme",
        "--user",
        "x@example.com",
        "--role",
        "operate",
      ]),
    ).toEqual({ account: "acme", member: `user:${x.id}`, role: "operate" });
    const members = await c.json<Page<{ principalId: string; role: string; name: string }>>([
      "account",
      "members",
      "acme",
    ]);
    expect(members.items).toEqual([
      expect.objectContaining({ principalId: x.id, name: "x@example.com", role: "operate" }),
    ]);
    expect(await c.ok(["account", "members", "acme"])).toContain("x@example.com");
    const [noneRole, both, nobody] = await Promise.all([
      c.fails(["account", "add-member", "acme", "--user", "x@example.com", "--role", "none"], 2),
      c.fails(["account", "add-member", "acme", "--user", "x@example.com", "--group", "ops"], 2),
      c.fails(["account", "add-member", "nope", "--user", "x@example.com"], 1),
    ]);
    expect(noneRole).toMatch(/^steward: --role: /);
    expect(both).toBe("steward: --user or --group: give exactly one");
    expect(nobody).toBe("steward: account nope not found");

    const refused = await c.fails(["account", "delete", "acme"], 2);
    expect(refused).toMatch(/--yes/);
    expect((await c.json<Page<AccountJson>>(["account", "list"])).items).toHaveLength(1);
    expect(await c.json(["account", "delete", "acme", "--yes"])).toEqual({ deleted: "acme" });
    const [gone, after, grants, audit] = await Promise.all([
      c.fails(["account", "show", "acme"], 1),
      c.json<Page<AccountJson>>(["account", "list"]),
      c.json<Page<GrantJson>>(["grant", "list"]),
      c.json<Page<AuditJson>>(["audit", "list", "--action", "account.*"]),
    ]);
    expect(gone).toBe("steward: account acme not found");
    expect(after.items).toEqual([]);
    expect(grants.items).toEqual([]);
    expect(audit.items.map((e) => e.action)).toEqual([
      "account.delete",
      "account.member_add",
      "account.create",
    ]);
  }, 180_000);

  it("groups: create, add and remove members; the super group is immutable", async () => {
    const c = cliFor();
    const x = await userX(c);
    const ops = await c.json<GroupJson>(["group", "create", "ops", "--description", "on call"]);
    expect(ops).toMatchObject({ name: "ops", description: "on call", builtin: false, members: 0 });
    expect(await c.json(["group", "add-member", "ops", "--user", "x@example.com"])).toEqual({
      group: "ops",
      added: "x@example.com",
    });
    const [members, human, groups, superDelete, noYes, dup] = await Promise.all([
      c.json<Page<{ userId: string }>>(["group", "members", "ops"]),
      c.ok(["group", "members", "ops"]),
      c.json<Page<GroupJson>>(["group", "list"]),
      c.fails(["group", "delete", "super", "--yes"], 1),
      c.fails(["group", "delete", "ops"], 2),
      c.fails(["group", "create", "ops"], 1),
    ]);
    expect(members.items).toEqual([expect.objectContaining({ userId: x.id })]);
    expect(human).toContain("x@example.com");
    expect(groups.items.map((g) => [g.name, g.builtin, g.members])).toEqual(
      expect.arrayContaining([
        ["super", true, 0],
        ["ops", false, 1],
      ]),
    );
    expect(superDelete).toMatch(/super group is built in/);
    expect(noYes).toMatch(/--yes/);
    expect(dup).toBe("steward: a group named ops exists");

    expect(await c.json(["group", "remove-member", "ops", "--user", x.id])).toEqual({
      group: "ops",
      removed: "x@example.com",
    });
    expect((await c.json<Page<unknown>>(["group", "members", "ops"])).items).toEqual([]);
    expect(await c.json(["group", "delete", "ops", "--yes"])).toEqual({ deleted: "ops" });
    const left = await c.json<Page<GroupJson>>(["group", "list"]);
    expect(left.items.map((g) => g.name)).toEqual(["super"]);
  }, 180_000);

  it("grants: set (user on an account, group globally), list, replace, remove", async () => {
    const c = cliFor();
    const [x, acme, ops] = await Promise.all([
      userX(c),
      c.json<AccountJson>(["account", "create", "--slug", "acme", "--name", "Acme"]),
      c.json<GroupJson>(["group", "create", "ops"]),
    ]);
    const read = await c.json<GrantJson>([
      "grant",
      "set",
      "--user",
      "x@example.com",
      "--account",
      "acme",
      "--role",
      "read",
    ]);
    expect(read).toMatchObject({
      principalType: "user",
      principalId: x.id,
      principalName: "x@example.com",
      scopeType: "account",
      scopeId: acme.id,
      role: "read",
    });
    const none = await c.json<GrantJson>([
      "grant",
      "set",
      "--group",
      "ops",
      "--global",
      "--role",
      "none",
    ]);
    expect(none).toMatchObject({
      principalType: "group",
      principalId: ops.id,
      scopeType: "global",
      scopeId: null,
      role: "none",
    });
    // Setting again replaces the role of the same grant.
    const admin = await c.json<GrantJson>([
      "grant",
      "set",
      "--user",
      x.id,
      "--account",
      acme.id,
      "--role",
      "admin",
    ]);
    expect(admin).toMatchObject({ id: read.id, role: "admin" });
    const site = await c.json<GrantJson>([
      "grant",
      "set",
      "--user",
      x.id,
      "--resource",
      "site:abc",
      "--role",
      "operate",
    ]);
    expect(site).toMatchObject({ scopeType: "resource", scopeId: "site:abc", role: "operate" });

    const [all, ofX, onAcme, human, twoScopes, superGrant, badRole] = await Promise.all([
      c.json<Page<GrantJson>>(["grant", "list"]),
      c.json<Page<GrantJson>>(["grant", "list", "--user", "x@example.com"]),
      c.json<Page<GrantJson>>(["grant", "list", "--account", "acme"]),
      c.ok(["grant", "list"]),
      c.fails(
        ["grant", "set", "--user", x.id, "--global", "--account", "acme", "--role", "read"],
        2,
      ),
      c.fails(["grant", "set", "--group", "super", "--global", "--role", "read"], 1),
      c.fails(["grant", "set", "--user", x.id, "--global", "--role", "owner"], 2),
    ]);
    expect(all.items.map((g) => g.id).sort()).toEqual([read.id, none.id, site.id].sort());
    expect(ofX.items.map((g) => g.id).sort()).toEqual([read.id, site.id].sort());
    expect(onAcme.items.map((g) => g.id)).toEqual([read.id]);
    expect(human).toMatch(/x@example\.com\s+account\s+\S+\s+admin/);
    expect(twoScopes).toBe("steward: --account, --resource or --global: give exactly one");
    expect(superGrant).toMatch(/super group is admin everywhere/);
    expect(badRole).toMatch(/^steward: --role: /);

    expect(await c.json(["grant", "remove", none.id])).toEqual({ removed: none.id });
    expect(
      (await c.json<Page<GrantJson>>(["grant", "list"])).items.map((g) => g.id).sort(),
    ).toEqual([read.id, site.id].sort());
    expect(await c.fails(["grant", "remove", none.id], 1)).toBe(
      `steward: grant ${none.id} not found`,
    );
    const audit = await c.json<Page<AuditJson>>(["audit", "list", "--action", "grant.*"]);
    expect(audit.items.map((e) => e.action)).toEqual([
      "grant.remove",
      "grant.set",
      "grant.set",
      "grant.set",
      "grant.set",
    ]);
  }, 180_000);
});
