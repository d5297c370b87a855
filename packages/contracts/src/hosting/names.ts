// Hosting accounts' system users on a node (issue 19, docs/hosting.md): the validators both
// sides of the wire use. The panel checks every value with these, the agent again before a
// value becomes an argv, a file or a line of sshd's or pure-ftpd's configuration.
import { z } from "zod";
import { noControl } from "../validators.ts";

/**
 * Names a node has already, or that services expect: never a Steward system user. Names
 * starting with `systemd-`, `steward` or `_` are refused too (reservedName).
 */
export const RESERVED_SYSTEM_USERS: ReadonlySet<string> = new Set([
  "root",
  "daemon",
  "bin",
  "sys",
  "sync",
  "games",
  "man",
  "lp",
  "mail",
  "news",
  "uucp",
  "proxy",
  "www-data",
  "backup",
  "list",
  "irc",
  "gnats",
  "nobody",
  "nogroup",
  "messagebus",
  "sshd",
  "postfix",
  "postdrop",
  "mysql",
  "mariadb",
  "postgres",
  "dovecot",
  "dovenull",
  "opendkim",
  "nginx",
  "apache",
  "httpd",
  "ftp",
  "pure-ftpd",
  "ftpuser",
  "ftpgroup",
  "bind",
  "named",
  "pdns",
  "redis",
  "memcache",
  "docker",
  "podman",
  "admin",
  "administrator",
  "operator",
  "adm",
  "wheel",
  "sudo",
  "staff",
  "users",
  "shadow",
  "utmp",
  "tty",
  "disk",
  "kmem",
  "dialout",
  "cdrom",
  "floppy",
  "audio",
  "video",
  "plugdev",
  "netdev",
  "input",
  "kvm",
  "render",
  "crontab",
  "ssl-cert",
  "tss",
  "uuidd",
  "tcpdump",
  "polkitd",
  "avahi",
  "colord",
  "rtkit",
  "saned",
  "usbmux",
  "lxd",
  "ubuntu",
  "debian",
  "steward",
]);

const isReserved = (s: string) => RESERVED_SYSTEM_USERS.has(s) || /^(systemd-|steward)/.test(s);

/** The suffix of an account's CGI user (`<main>-cgi`): never a name one chooses. */
export const CGI_SUFFIX = "-cgi";

/** The shape of a Steward system user's name: useradd's rule, starting with a letter. */
export const sysUserPattern = /^[a-z][a-z0-9_-]*$/;

/**
 * A system user's name: 1-32 lowercase letters, digits, `-` and `_`, starting with a letter
 * (no leading dot, dash, digit or underscore), not a name of the system or of a service,
 * not ending in `-cgi` (the account's CGI user has that name).
 */
export const sysUserName = z
  .string()
  .min(1, "must not be empty")
  .max(32, "must be at most 32 characters")
  .regex(sysUserPattern, "must be lowercase letters, digits, - and _, starting with a letter")
  .refine((s) => !isReserved(s), "is reserved for the system or a service")
  .refine((s) => !s.endsWith(CGI_SUFFIX), `must not end in ${CGI_SUFFIX} (the CGI user's name)`);

/** A main user's name: room for its CGI user's `-cgi` within 32 characters. */
export const mainUserName = sysUserName.refine(
  (s) => s.length <= 32 - CGI_SUFFIX.length,
  `must be at most ${32 - CGI_SUFFIX.length} characters (its CGI user is <name>${CGI_SUFFIX})`,
);

/** What a user may do over SSH: nothing, SFTP in its chroot, or a restricted shell (rbash). */
export const shellAccess = z.enum(["none", "sftp", "restricted"]);
export type ShellAccess = z.infer<typeof shellAccess>;

/** The key types OpenSSH accepts for users (no DSA). */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

function base64Bytes(b64: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  try {
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Why a line is not one public key (or null): `type base64 [comment]`, no options prefix
 * (`command="…"`, `from=…`), one line; the key's blob must start with its own type name.
 */
export function sshKeyProblem(line: string): string | null {
  if (!noControl(line)) return "must be one line without control characters";
  const parts = line.split(" ");
  const [type, b64, ...rest] = parts;
  if (!type || !SSH_KEY_TYPES.includes(type as (typeof SSH_KEY_TYPES)[number]))
    return `must start with a key type (${SSH_KEY_TYPES.slice(0, 3).join(", ")}…), no options`;
  const blob = b64 ? base64Bytes(b64) : null;
  if (!blob || blob.length < 4) return "must have the key's base64 after its type";
  const n =
    ((blob[0] ?? 0) << 24) | ((blob[1] ?? 0) << 16) | ((blob[2] ?? 0) << 8) | (blob[3] ?? 0);
  const inner = new TextDecoder().decode(blob.subarray(4, 4 + n));
  if (inner !== type) return `the key's data is not a ${type} key`;
  const comment = rest.join(" ");
  if (comment.length > 100) return "the comment must be at most 100 characters";
  return null;
}

/** One SSH public key line, as in authorized_keys but without options. */
export const sshPublicKey = z
  .string()
  .trim()
  .max(16_384, "must be at most 16384 characters")
  .superRefine((s, ctx) => {
    const problem = sshKeyProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const sshPublicKeys = z.array(sshPublicKey).max(50, "must have at most 50 keys");

/** A password a user logs in with (SFTP, FTP): hashed on the panel, never stored or sent. */
export const sysUserPassword = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  .refine(noControl, "must not contain control characters or newlines")
  .refine((s) => !s.includes(":"), "must not contain :");

/** A SHA-512 crypt hash (`$6$[rounds=N$]salt$hash`), what the node stores. */
export const passwordHashPattern =
  /^\$6\$(rounds=[0-9]{4,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$/;
export const passwordHash = z.string().regex(passwordHashPattern, "must be a SHA-512 crypt hash");

/**
 * A secondary user's home: a directory inside the account's home, as a relative path of
 * segments starting with a letter or digit (so never `.`, `..`, `.ssh` or a leading `/`).
 */
export const homePath = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine(
    (s) => s.split("/").every((seg) => seg !== "." && seg !== ".."),
    "must stay inside the account's home (no . or .. segments)",
  )
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/,
    "must be a relative path inside the account's home, like team/alice (segments start with a letter or digit)",
  );

/**
 * A system user's disk quota in MiB on the filesystem of its home (setquota, block soft =
 * hard): null or 0 is no limit; at most 16 TiB.
 */
export const sysUserQuotaMb = z
  .number({ error: "must be a number" })
  .int("must be a whole number of MiB")
  .min(0, "must be 0 (no limit) or more")
  .max(16_777_216, "must be at most 16777216 MiB (16 TiB)");
