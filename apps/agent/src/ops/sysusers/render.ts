// What sysusers.apply writes, as text: the account's sshd include (one Match block per user)
// and its lines of pure-ftpd's virtual users. Pure functions of validated input; every name
// is the contracts' sysUserName and every path is built from root's configuration, checked
// for characters sshd and pure-ftpd's files could misread (safePath).
import { join } from "node:path";
import { CGI_SUFFIX, type SysUsersApplyInput } from "@steward/contracts/hosting";
import { OpFailure } from "../types.ts";

/** The comment (GECOS) of every user Steward makes for an account: how it knows its own. */
export const marker = (main: string) => `steward/${main}`;
export const cgiUserOf = (main: string) => `${main}${CGI_SUFFIX}`;

/** The paths of an account on the node. */
export function accountPaths(homeRoot: string, main: string) {
  const root = join(homeRoot, main);
  return { root, home: join(root, "home"), uploads: join(root, "home", "uploads") };
}

/** A path from configuration going into sshd's or pure-ftpd's files: no spaces, quotes, colons. */
export function safePath(path: string, what: string): string {
  if (!/^\/[A-Za-z0-9/._-]*$/.test(path) || path.split("/").includes(".."))
    throw new OpFailure("CONFIG", `${what} (${path.slice(0, 100)}) must be a plain absolute path`);
  return path;
}

export type UserOf = SysUsersApplyInput["main"] & { home?: string };

/** The directory a user starts in, inside the chroot: /home or /home/<its home>. */
export const chrootedHome = (u: { home?: string }) => (u.home ? `/home/${u.home}` : "/home");

const NO_FORWARDING = [
  "AllowTcpForwarding no",
  "AllowStreamLocalForwarding no",
  "AllowAgentForwarding no",
  "X11Forwarding no",
  "PermitTunnel no",
];

/** The Match block of one user. */
function matchBlock(u: UserOf, root: string, keysDir: string): string[] {
  if (u.shell === "none")
    return [
      `Match User ${u.name}`,
      "    PubkeyAuthentication no",
      "    PasswordAuthentication no",
      "    KbdInteractiveAuthentication no",
      "    PermitTTY no",
      ...NO_FORWARDING.map((l) => `    ${l}`),
    ];
  const auth = [
    `    AuthorizedKeysFile ${keysDir}/%u`,
    `    PubkeyAuthentication ${u.keys.length ? "yes" : "no"}`,
    `    PasswordAuthentication ${u.passwordHash ? "yes" : "no"}`,
    "    KbdInteractiveAuthentication no",
  ];
  if (u.shell === "restricted")
    return [`Match User ${u.name}`, ...auth, ...NO_FORWARDING.map((l) => `    ${l}`)];
  return [
    `Match User ${u.name}`,
    `    ChrootDirectory ${root}`,
    `    ForceCommand internal-sftp -d ${chrootedHome(u)}`,
    ...auth,
    "    PermitTTY no",
    ...NO_FORWARDING.map((l) => `    ${l}`),
  ];
}

/** The account's sshd include: a Match block per user, then `Match all` (nothing leaks). */
export function renderSshd(
  input: SysUsersApplyInput,
  paths: { root: string },
  keysDir: string,
): string {
  const users: UserOf[] = [input.main, ...input.secondary];
  return [
    `# Steward: system users of account ${input.id} (main user ${input.main.name}).`,
    "# Written by the Steward agent (sysusers.apply); changes here are overwritten.",
    ...users.flatMap((u) => [...matchBlock(u, paths.root, keysDir), ""]),
    "Match all",
    "",
  ].join("\n");
}

/** One user's line of pure-pw's passwd file: chrooted at the account's root (`/./`). */
export function ftpLine(
  main: string,
  u: { name: string; passwordHash: string | null; home?: string },
  ids: { uid: number; gid: number },
  root: string,
): string {
  const home = `${root}/.${chrootedHome(u)}`;
  return `${u.name}:${u.passwordHash}:${ids.uid}:${ids.gid}:${marker(main)}:${home}::::::::::::`;
}

/** pure-pw's passwd file without this account's lines (any other account's are kept). */
export function otherFtpLines(text: string, main: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "" && l.split(":")[4] !== marker(main));
}
