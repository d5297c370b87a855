// `steward user-sys …`: hosting accounts' system users on nodes (SFTP, FTP, restricted shell),
// named apart from Steward's own users (`steward user`). Input passes the API's own schemas;
// a password comes from a file or stdin (`--password-file -`), never from an argument (which
// shows in the process list); keys from repeated --key or a file of lines.
import { readFileSync } from "node:fs";
import { v } from "@steward/contracts";
import {
  QUOTA_NOT_ENFORCED,
  type SysUser,
  sysUserCreate,
  sysUserUpdate,
} from "@steward/contracts/hosting";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { nodeRef } from "./apps.ts";

const COLUMNS = [
  "id",
  "name",
  "kind",
  "shell",
  "ftp",
  "home",
  "keys",
  "status",
  "quota",
  "nodeId",
  "lastError",
];

const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const collect = (value: string, previous: string[] = []) => [...previous, value];
const quotaText = (u: SysUser) =>
  u.quotaMb === null
    ? "none"
    : `${u.quotaMb} MiB${u.quotaEnforced === false ? " (not enforced)" : ""}`;
const rowOf = (u: SysUser) => ({
  ...u,
  keys: u.keys.length,
  home: u.home || "/",
  quota: quotaText(u),
});

/** --quota-mb: a number of MiB, 0 or "none" (no limit); anything else goes to the schema as is. */
function quotaFrom(value: string | undefined): number | string | null | undefined {
  if (value === undefined) return undefined;
  if (value === "none") return null;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/** The first line of a file (or of stdin with "-"): a password is one line. */
function passwordFrom(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  return text.replace(/\r?\n$/, "").split(/\r?\n/)[0] ?? "";
}

/** --key lines and a --key-file's non-empty lines, or undefined when neither is given. */
function keysFrom(keys: string[], file: string | undefined): string[] | undefined {
  const fromFile = file
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() && !l.startsWith("#"))
    : [];
  return keys.length || file ? [...keys, ...fromFile] : undefined;
}

const FLAGS = {
  account: "--account",
  node: "--node",
  name: "--name",
  home: "--home",
  shell: "--shell",
  keys: "--key/--key-file",
  password: "--password-file",
  ftp: "--ftp",
  quotaMb: "--quota-mb",
};

export function userSysCommands(program: Command, g: () => GlobalOptions) {
  const cmd = program.command("user-sys");
  cmd
    .command("create")
    .description(
      "creates an account's main user on a node, or a secondary user (--home); a task applies it",
    )
    .requiredOption("--account <account>", "id or slug")
    .requiredOption("--node <node>", "id or name")
    .requiredOption(
      "--name <name>",
      "the login: lowercase letters, digits, - and _, a letter first",
    )
    .option("--home <path>", "a secondary user: its home inside the account's home (team/alice)")
    .option("--shell <access>", "none, sftp (chrooted, the default) or restricted (rbash)")
    .option("--ftp", "may log in over FTP (needs a password)")
    .option("--key <line>", "an SSH public key line (repeat)", collect, [])
    .option("--key-file <file>", "SSH public key lines, one a line")
    .option("--password-file <file>", "the password's file (first line); - reads stdin")
    .option("--quota-mb <n>", "disk quota in MiB where the node's filesystem has user quotas")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const node = (await svc.nodes.get(ctx, parse(nodeRef, o.node, { input: "--node" }))).id;
        const input = parse(
          sysUserCreate,
          {
            kind: o.home === undefined ? "main" : "secondary",
            account,
            node,
            name: o.name,
            ...(o.home === undefined ? {} : { home: o.home }),
            shell: o.shell,
            ftp: Boolean(o.ftp),
            keys: keysFrom(o.key, o.keyFile),
            password: passwordFrom(o.passwordFile),
            quotaMb: quotaFrom(o.quotaMb),
          },
          FLAGS,
        );
        const made = await svc.systemUsers.create(ctx, input);
        if (g().json) return print(g(), made);
        process.stdout.write(
          `system user ${made.name} (${made.id})${made.cgiUser ? `, CGI user ${made.cgiUser}` : ""}\ntask ${made.taskId} applies it on the node\n`,
        );
      });
    });
  cmd
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const items = await svc.systemUsers.list(ctx, account);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(rowOf) }, COLUMNS);
      });
    });
  cmd
    .command("show")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const user = await svc.systemUsers.get(ctx, ref);
        print(g(), user);
        if (!g().json && user.quotaEnforced === false)
          process.stdout.write(`quota: ${QUOTA_NOT_ENFORCED}\n`);
      });
    });
  cmd
    .command("set")
    .description(
      "changes shell access, FTP, keys (replaced), the password or the quota; a task applies it",
    )
    .argument("<id>")
    .option("--shell <access>", "none, sftp or restricted")
    .option("--ftp", "may log in over FTP")
    .option("--no-ftp", "may not log in over FTP")
    .option("--key <line>", "an SSH public key line; replaces the keys (repeat)", collect, [])
    .option("--key-file <file>", "SSH public key lines; replaces the keys")
    .option("--no-keys", "removes every key")
    .option("--password-file <file>", "a new password (first line); - reads stdin")
    .option("--no-password", "removes the password (keys only)")
    .option("--quota-mb <n>", "disk quota in MiB; 0 or none: no limit")
    .action(async (id, o) => {
      const ref = idArg(id);
      const input = parse(
        sysUserUpdate,
        {
          shell: o.shell,
          ftp: o.ftp,
          keys: o.keys === false ? [] : keysFrom(o.key, o.keyFile),
          password: o.password === false ? null : passwordFrom(o.passwordFile),
          quotaMb: quotaFrom(o.quotaMb),
        },
        { ...FLAGS, input: "--shell/--ftp/--key/--password-file/--quota-mb" },
      );
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.systemUsers.update(ctx, ref, input);
        if (g().json) return print(g(), out);
        process.stdout.write(`system user ${out.name}: task ${out.taskId} applies the change\n`);
      });
    });
  cmd
    .command("delete")
    .description("deletes the user on its node (a main user after its secondary users)")
    .argument("<id>")
    .requiredOption("--confirm <name>", "the user's name, again")
    .option("--delete-files", "a main user: delete the account's files on the node too")
    .action(async (id, o) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const shown = await svc.systemUsers.get(ctx, ref);
        if (o.confirm !== shown.name) throw new UsageError("--confirm: must be the user's name");
        const out = await svc.systemUsers.remove(ctx, ref, o.confirm, Boolean(o.deleteFiles));
        if (g().json) return print(g(), out);
        process.stdout.write(`system user ${out.name}: task ${out.taskId} deletes it\n`);
      });
    });
}
