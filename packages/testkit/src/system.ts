// What to do when a system binary a test needs is missing: skip locally (saying why),
// fail in CI where STEWARD_REQUIRE_SYSTEM=1.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const requireSystem = () => process.env.STEWARD_REQUIRE_SYSTEM === "1";

export class MissingSystemError extends Error {}

export function missing(what: string, hint: string): null {
  const message = `${what} is not installed (${hint})`;
  if (requireSystem())
    throw new MissingSystemError(`${message}; STEWARD_REQUIRE_SYSTEM=1 makes this a failure`);
  process.stderr.write(`testkit: skipping tests that need ${message}\n`);
  return null;
}

/** The bin directory of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout). */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.STEWARD_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, "postgres")) ? fromEnv : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

/** uid/gid of an unprivileged account to run databases as when we are root. */
export function unprivilegedUser(
  names = ["postgres", "nobody"],
): { uid: number; gid: number; name: string } | null {
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of names) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(":") ?? [];
    if (uid && gid) return { uid: Number(uid), gid: Number(gid), name };
  }
  return null;
}
