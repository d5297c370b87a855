// The account's directories and key files. The account's root is its users' chroot (root,
// 0711: sshd refuses a chroot anyone else can write); `home` is the main user's (2750: the
// main group, which the CGI user, the web server and secondary users are in, reads, nobody
// else); `home/uploads` is writable by the CGI user (group <main>-cgi, 2775). Secondary
// homes are theirs (2750, group main). Inside a home the agent never follows a link
// (mkdirInside); that PHP never executes uploads is nginx's and PHP's part (sites).
import { lstat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { mkdirInside } from "../sites/dirs.ts";
import { type OpContext, OpFailure } from "../types.ts";
import type { Made } from "./users.ts";

/** `home/<rel>`'s missing parents as the main user's, then `rel` itself as the owner's. */
export async function ownedHome(
  ctx: OpContext,
  home: string,
  rel: string,
  main: Made,
  owner: Made,
) {
  const parent = dirname(rel);
  if (parent !== ".") await mkdirInside(ctx, home, parent, main, 0o2750);
  const path = join(home, rel);
  const s = await lstat(path).catch(() => null);
  if (s && (s.isSymbolicLink() || !s.isDirectory()))
    throw new OpFailure(
      "UNSAFE_PATH",
      `${path} is ${s.isSymbolicLink() ? "a symbolic link" : "not a directory"}: the agent does not follow links inside an account's home; move it away and apply again`,
    );
  await ctx.mkdir(path, { mode: 0o2750, uid: owner.uid, gid: main.gid });
  return path;
}

/** One root-owned authorized keys file per user (0644), gone when the user has no keys. */
export async function writeKeys(ctx: OpContext, name: string, keys: string[]) {
  const file = join(ctx.config.hosting.keysDir, name);
  if (!keys.length) return ctx.removeFile(file);
  await ctx.mkdir(ctx.config.hosting.keysDir, { mode: 0o755, uid: 0, gid: 0 });
  return ctx.writeFile(file, `${keys.join("\n")}\n`, { mode: 0o644, uid: 0, gid: 0 });
}
