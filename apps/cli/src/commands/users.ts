import { passwordSet, userCreate, userListQuery, userSorts } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, pageOptions, parse, resolveUser, withServices } from "../context.ts";
import { print, readSecret } from "../io.ts";
import { listCommand } from "./shapes.ts";

const cols = [
  "id",
  "email",
  "name",
  "super",
  "disabled",
  "twoFactorEnabled",
  "passkeys",
  "githubLinked",
];

export function userCommands(program: Command, g: () => GlobalOptions) {
  const user = program.command("user");
  user
    .command("create")
    .description("create a user (the password comes from --password or standard input)")
    .requiredOption("--email <email>")
    .option("--password <password>")
    .option("--name <name>")
    .option("--super", "make the user a member of the super group", false)
    .action(async (o) => {
      const password = await readSecret(o.password, "Password: ");
      const input = parse(userCreate, { email: o.email, password, name: o.name, super: o.super });
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.users.create(ctx, input), cols),
      );
    });
  listCommand(
    user,
    [
      ["--q <text>", "filter by email or name"],
      ["--disabled <bool>", "true or false"],
    ],
    userSorts,
  ).action(async (o) => {
    const q = parse(userListQuery, { q: o.q, disabled: o.disabled, sort: o.sort });
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.users.list(ctx, { ...q, ...page }), cols),
    );
  });
  user
    .command("passwd")
    .description("set a user's password (from --password or standard input); signs the user out")
    .argument("<user>", "email or id")
    .option("--password <password>")
    .action(async (who, o) => {
      const { password } = parse(passwordSet, {
        password: await readSecret(o.password, "New password: "),
      });
      await withServices(g(), async (svc, ctx) => {
        const u = await resolveUser(svc, ctx, who);
        await svc.users.setPassword(ctx, u.id, password);
        print(g(), { ok: true, user: u.email });
      });
    });
  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    user
      .command(name)
      .argument("<user>", "email or id")
      .description(
        disabled ? "disable a user: sessions end, API keys stop working" : "enable a disabled user",
      )
      .action(async (who) =>
        withServices(g(), async (svc, ctx) => {
          const u = await resolveUser(svc, ctx, who);
          print(g(), await svc.users.update(ctx, u.id, { disabled }), cols);
        }),
      );
  }
  user
    .command("reset-2fa")
    .argument("<user>", "email or id")
    .description("remove a user's TOTP and recovery codes (and passkeys with --passkeys)")
    .option("--passkeys", "also remove the user's passkeys", false)
    .action(async (who, o) =>
      withServices(g(), async (svc, ctx) => {
        const u = await resolveUser(svc, ctx, who);
        print(g(), await svc.users.resetSecondFactor(ctx, u.id, { passkeys: o.passkeys }), cols);
      }),
    );
  user
    .command("unlink-github")
    .argument("<user>", "email or id")
    .description("unlink a user's GitHub account: GitHub no longer signs them in (sessions stay)")
    .action(async (who) =>
      withServices(g(), async (svc, ctx) => {
        const u = await resolveUser(svc, ctx, who);
        print(g(), await svc.users.unlinkGithub(ctx, u.id), cols);
      }),
    );
}
