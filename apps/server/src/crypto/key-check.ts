// The master key check: a known value sealed with the master key, kept in the `settings`
// table, so that a start with a lost or different key is refused before anything uses it
// (otherwise the panel starts "ready" and every sealed secret is unreadable). Installations
// made before the check existed are verified against their sealed data, then given one.
// Once the check value is stored (every start after the first), that is all it reads: the
// PKI store (@steward/pki) and better-auth's crypto load only for the first check.
import type { SecretConfig } from "better-auth/crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { getSetting, putSettingOnce } from "../modules/settings/repo.ts";
import { anyTwoFactorSecret } from "../modules/users/repo.ts";
import { MasterKeyError } from "./master-key.ts";
import type { Secrets } from "./secrets.ts";

export const KEY_CHECK_SETTING = "master_key_check";
/** What the key check value seals (an upgrade fixture writes one as the panel does). */
export const KNOWN = "steward master key check v1";

/** Whether the database holds anything sealed with a master key (then the key must exist). */
const anySealedPkiKey = async (db: Kysely<Database>) =>
  (await import("../pki/store.ts")).anySealedPkiKey(db);

export async function holdsSealedData(db: Kysely<Database>): Promise<boolean> {
  return (
    (await getSetting(db, KEY_CHECK_SETTING)) !== undefined ||
    (await anySealedPkiKey(db)) !== undefined ||
    (await anyTwoFactorSecret(db)) !== undefined
  );
}

export interface KeyCheckDeps {
  db: Kysely<Database>;
  secrets: Secrets;
  /** better-auth's secret, which seals TOTP secrets (derived from the master key) */
  authSecret: () => Promise<string | SecretConfig>;
  /** where the key came from, for the message: the file or STEWARD_MASTER_KEY */
  keySource: string;
  /** the database, for the message */
  where: string;
}

/** Whether opening succeeds (and gives `expected`, when given). */
const opens = async (open: () => string | Promise<string>, expected?: string) => {
  try {
    const plain = await open();
    return expected === undefined || plain === expected;
  } catch {
    return false;
  }
};

/** Refuses (MasterKeyError) a master key that does not open this database's sealed data. */
export async function verifyMasterKey(d: KeyCheckDeps): Promise<void> {
  const refuse = (what: string) =>
    new MasterKeyError(
      `the master key (${d.keySource}) does not open ${what} in the database ${d.where}: it is ` +
        "not the key this database was sealed with. Restore the master.key backed up with this " +
        "database (or set STEWARD_MASTER_KEY to it); a new key cannot read the CA key or TOTP secrets",
    );
  const check = async (sealed: string) => {
    if (!(await opens(() => d.secrets.open(sealed), KNOWN))) throw refuse("the key check value");
  };
  const stored = await getSetting(d.db, KEY_CHECK_SETTING);
  if (stored !== undefined) return check(stored);
  // written before the check existed (or a fresh database): what is sealed must open first
  const pkiKey = await anySealedPkiKey(d.db);
  if (pkiKey !== undefined && !(await opens(() => d.secrets.open(pkiKey))))
    throw refuse("the CA's private key");
  const totp = await anyTwoFactorSecret(d.db);
  if (
    totp !== undefined &&
    !(await opens(async () => {
      const { symmetricDecrypt } = await import("better-auth/crypto");
      return symmetricDecrypt({ key: await d.authSecret(), data: totp });
    }))
  )
    throw refuse("the TOTP secrets");
  // another process may have written its own at the same moment: the stored one must open
  const kept = await putSettingOnce(d.db, KEY_CHECK_SETTING, d.secrets.seal(KNOWN));
  if (kept !== undefined) await check(kept);
}
