// sysusers.apply (docs/hosting.md): makes the node hold one account's system users as the
// panel wants them, or none of them (present: false). Idempotent: a second identical run
// changes nothing (no reload, no mkdb). Any failure restores every file it wrote (include,
// keys, pure-ftpd's users), reloads sshd with the old include and removes the users it made.
import { lstat, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SysUsersApplyInput, SysUsersApplyOutput } from "@steward/contracts/hosting";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { ownedHome, writeKeys } from "./files.ts";
import { setUserQuotas } from "./quota.ts";
import { accountPaths, cgiUserOf, ftpLine, renderSshd, safePath, type UserOf } from "./render.ts";
import { applyFtp, applySshd, effectiveSshd } from "./services.ts";
import {
  addToGroup,
  ensureSysUser,
  type Made,
  ownUser,
  removeSysUser,
  setPasswords,
} from "./users.ts";

const includeFile = (ctx: OpContext, main: string) =>
  join(
    safePath(ctx.config.hosting.sshd.includeDir, "hosting.sshd.includeDir"),
    `steward-${main}.conf`,
  );

const loginShell = (ctx: OpContext, u: UserOf) =>
  u.shell === "restricted" ? ctx.config.hosting.restrictedShell : ctx.config.users.shell;

/** Hands a removed user's home to the main user (no file keeps a uid nobody has). */
async function handOver(ctx: OpContext, home: string, rel: string, main: Made) {
  const path = join(home, rel);
  const s = await lstat(path).catch(() => null);
  if (!s?.isDirectory() || s.isSymbolicLink()) return;
  await ctx.exec(`give ${rel} to ${main.name}`, [
    ctx.config.hosting.chown,
    "-R",
    "-P",
    "--",
    `${main.uid}:${main.gid}`,
    path,
  ]);
}

async function apply(ctx: OpContext, input: SysUsersApplyInput): Promise<SysUsersApplyOutput> {
  const h = ctx.config.hosting;
  const main = input.main.name;
  const paths = accountPaths(safePath(h.homeRoot, "hosting.homeRoot"), main);
  const keysDir = safePath(h.keysDir, "hosting.keysDir");
  const cgi = cgiUserOf(main);
  const notes: string[] = [];
  const homes = new Map<string, string>();
  let includeChanged = false;
  let quota: "set" | "unsupported" | undefined;

  await ctx.phase("stage", async () => {
    const names = [main, cgi, ...input.secondary.map((u) => u.name)];
    if (new Set(names).size !== names.length)
      throw new OpFailure("OP_INPUT_INVALID", "a user name is given twice");
    for (const u of input.secondary) {
      if (homes.has(u.home))
        throw new OpFailure("OP_INPUT_INVALID", `two users share the home ${u.home}`);
      homes.set(u.home, u.name);
    }
    await ctx.step("check the names are free or this account's", async () => {
      for (const name of [...names, ...input.remove]) await ownUser(name, main);
    });
  });

  const made: Made[] = [];
  await ctx.phase("activate", async () => {
    await ctx.mkdir(h.homeRoot, { mode: 0o711, uid: 0, gid: 0 });
    await ctx.mkdir(paths.root, { mode: 0o711, uid: 0, gid: 0 });
    const m = await ensureSysUser(ctx, {
      name: main,
      main,
      home: paths.home,
      shell: loginShell(ctx, input.main),
      group: "own",
    });
    made.push(m);
    const c = await ensureSysUser(ctx, {
      name: cgi,
      main,
      home: paths.home,
      shell: ctx.config.users.shell,
      group: "own",
      groups: [main],
    });
    if (h.webUser) await addToGroup(ctx, h.webUser, main);
    await ctx.mkdir(paths.home, { mode: 0o2750, uid: m.uid, gid: m.gid });
    await ctx.mkdir(paths.uploads, { mode: 0o2775, uid: m.uid, gid: c.gid });
    for (const name of input.remove) {
      const u = await ownUser(name, main);
      if (!u) continue;
      if (u.home.startsWith(`${paths.home}/`))
        await handOver(ctx, paths.home, u.home.slice(paths.home.length + 1), m);
      await removeSysUser(ctx, name, main);
      await writeKeys(ctx, name, []);
    }
    for (const u of input.secondary) {
      const s = await ensureSysUser(ctx, {
        name: u.name,
        main,
        home: join(paths.home, u.home),
        shell: loginShell(ctx, u),
        group: main,
      });
      made.push(s);
      await ownedHome(ctx, paths.home, u.home, m, s);
    }
    const users: UserOf[] = [input.main, ...input.secondary];
    const limits = users.flatMap(({ name, quotaMb }) =>
      quotaMb === undefined
        ? []
        : [{ name, quotaMb, uid: made.find((x) => x.name === name)?.uid ?? m.uid }],
    );
    // what the site's PHP writes (uploads, owned by the CGI user) is bounded by the main
    // user's limit too: a hostile site cannot fill the disk past it
    if (input.main.quotaMb !== undefined)
      limits.splice(1, 0, { name: cgi, quotaMb: input.main.quotaMb, uid: c.uid });
    if (limits.length) quota = await setUserQuotas(ctx, paths.home, limits, notes);
    await setPasswords(ctx, users);
    for (const u of users) await writeKeys(ctx, u.name, u.shell === "none" ? [] : u.keys);
    const sshd = await applySshd(ctx, includeFile(ctx, main), renderSshd(input, paths, keysDir));
    if (sshd.note) notes.push(sshd.note);
    includeChanged = sshd.changed;
    const ftp = users
      .filter((u) => u.ftp && u.passwordHash)
      .map((u) => {
        const ids = made.find((x) => x.name === u.name) ?? m;
        return ftpLine(main, u, { uid: ids.uid, gid: m.gid }, paths.root);
      });
    const note = await applyFtp(ctx, main, ftp);
    if (note) notes.push(note);
  });

  // what sshd applies to each SFTP user, checked whenever the include changed
  await ctx.phase("verify", async () => {
    if (!includeChanged || notes.some((n) => n.startsWith("sshd"))) return;
    for (const u of [input.main, ...input.secondary].filter((x) => x.shell === "sftp")) {
      const got = await effectiveSshd(ctx, u.name);
      if (got.chroot !== paths.root || !got.forceCommand.startsWith("internal-sftp"))
        throw new OpFailure(
          "VERIFY_FAILED",
          `sshd does not chroot ${u.name} (does ${h.sshd.configFile} Include ${h.sshd.includeDir}/*.conf?)`,
        );
    }
  });

  return {
    root: paths.root,
    home: paths.home,
    users: made.map((u) => ({
      ...u,
      home: u.name === main ? paths.home : join(paths.home, homeOf(input, u.name)),
    })),
    cgiUser: cgi,
    ...(quota && { quota }),
    notes,
  };
}

const homeOf = (input: SysUsersApplyInput, name: string) =>
  input.secondary.find((u) => u.name === name)?.home ?? "";

/** Everything of the account goes: include, FTP lines, keys, users; its files when asked. */
async function remove(ctx: OpContext, input: SysUsersApplyInput): Promise<SysUsersApplyOutput> {
  const h = ctx.config.hosting;
  const main = input.main.name;
  const paths = accountPaths(safePath(h.homeRoot, "hosting.homeRoot"), main);
  const notes: string[] = [];
  const names = [...input.secondary.map((u) => u.name), ...input.remove, cgiUserOf(main), main];
  await ctx.phase("stage", () =>
    ctx.step("check the users are this account's", async () => {
      for (const name of names) await ownUser(name, main);
    }),
  );
  await ctx.phase("activate", async () => {
    const sshd = await applySshd(ctx, includeFile(ctx, main), null);
    if (sshd.note) notes.push(sshd.note);
    const ftp = await applyFtp(ctx, main, []);
    if (ftp) notes.push(ftp);
    for (const name of names) await writeKeys(ctx, name, []);
  });
  await ctx.phase("verify", async () => {
    for (const name of names) await removeSysUser(ctx, name, main);
    if (input.deleteFiles) {
      const s = await lstat(paths.root).catch(() => null);
      if (s?.isDirectory() && !s.isSymbolicLink())
        await ctx.step(`delete ${paths.root}`, () =>
          rm(paths.root, { recursive: true, force: true }),
        );
      ctx.changed();
    }
  });
  return { root: paths.root, home: paths.home, users: [], cgiUser: cgiUserOf(main), notes };
}

export const sysUsersApply: OpHandler<"sysusers.apply"> = {
  name: "sysusers.apply",
  services: ["sshd", "pure-ftpd"],
  run: (ctx, input) => (input.present ? apply(ctx, input) : remove(ctx, input)),
};
