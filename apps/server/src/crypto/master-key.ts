import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { StartupError } from "../lib/errors.ts";

export class MasterKeyError extends StartupError {}

export const masterKeyFile = (dataDir: string) => join(dataDir, "master.key");

/**
 * The master key encrypts secrets at rest. It comes from STEWARD_MASTER_KEY, or from
 * <dataDir>/master.key, which is created (mode 0600) on first start. `sealedIn` names the
 * database when it already holds sealed data: then a missing file is an error, never
 * replaced by a new key that could open none of it.
 */
export function loadMasterKey(dataDir: string, supplied?: string, sealedIn?: string): Buffer {
  if (supplied) {
    const key = Buffer.from(supplied, "base64");
    if (key.length !== 32)
      throw new MasterKeyError("STEWARD_MASTER_KEY must hold 32 bytes in base64");
    return key;
  }
  const file = masterKeyFile(dataDir);
  if (!existsSync(file) && sealedIn)
    throw new MasterKeyError(
      `the master key ${file} is missing, but the database ${sealedIn} holds secrets sealed ` +
        `with it (the CA key, TOTP secrets): restore ${file} from the backup made with this ` +
        "database (or set STEWARD_MASTER_KEY to its content); Steward will not make a new one",
    );
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Written aside, then linked into place: a process starting at the same moment (serve and
    // a CLI command on a fresh data dir) sees no key or a whole one, and the first link wins.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32)
    throw new MasterKeyError(`master key ${file} must hold 32 bytes in base64`);
  return key;
}
