// The master key check through the composition every entry point uses (createServices, as
// `serve` and the CLI call it), on a real database of each dialect: a lost or different key is
// refused once the database holds sealed data, never silently replaced.

import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DialectName, dialects } from "@steward/testkit";
import { symmetricEncrypt } from "better-auth/crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../access/types.ts";
import { loadSettings } from "../config/load.ts";
import type { Db } from "../db/open.ts";
import { createServices } from "../services.ts";
import { openTestDb } from "../testing/test-db.ts";
import { KEY_CHECK_SETTING } from "./key-check.ts";
import { MasterKeyError } from "./master-key.ts";

const ctx = { actor: systemActor("test"), grants: [], ip: null, requestId: "test" };

describe.each(dialects())("master key check on %s", (dialect: DialectName) => {
  let db: Db;
  let dataDir: string;
  const file = () => join(dataDir, "master.key");
  const start = async (env: Record<string, string> = {}) => {
    const settings = loadSettings({ STEWARD_DATA_DIR: dataDir, ...env });
    const svc = await createServices(settings, db, pino({ level: "silent" }));
    await svc.engine.stop();
    return svc;
  };
  const refusal = async (env: Record<string, string> = {}) => {
    const err = await start(env).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MasterKeyError);
    return (err as Error).message;
  };
  const checkValue = () =>
    db.db.selectFrom("settings").select("value").where("key", "=", KEY_CHECK_SETTING).execute();
  const forgetCheck = () =>
    db.db.deleteFrom("settings").where("key", "=", KEY_CHECK_SETTING).execute();

  beforeAll(async () => {
    db = await openTestDb(dialect);
    dataDir = mkdtempSync(join(tmpdir(), "steward-keycheck-"));
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("makes the key and its check value on a fresh install, and starts again with them", async () => {
    await start();
    expect(existsSync(file())).toBe(true);
    expect(await checkValue()).toHaveLength(1);
    await start();
  });

  it("refuses to start when master.key is lost, naming the file, and makes no new one", async () => {
    copyFileSync(file(), `${file()}.bak`);
    rmSync(file());
    const message = await refusal();
    expect(message).toContain(`the master key ${file()} is missing`);
    expect(message).toContain("restore");
    expect(existsSync(file())).toBe(false);
    copyFileSync(`${file()}.bak`, file());
    await start();
  });

  it("refuses a STEWARD_MASTER_KEY that is not the database's key", async () => {
    const message = await refusal({ STEWARD_MASTER_KEY: randomBytes(32).toString("base64") });
    expect(message).toContain(
      "the master key (STEWARD_MASTER_KEY) does not open the key check value",
    );
  });

  it("checks an install made before the check value against its CA key, then writes one", async () => {
    const svc = await start();
    await svc.pki.ca(); // the CA's private key, sealed with the master key
    await forgetCheck();
    const wrong = { STEWARD_MASTER_KEY: randomBytes(32).toString("base64") };
    expect(await refusal(wrong)).toContain("does not open the CA's private key");
    expect(await checkValue()).toHaveLength(0);
    // the file missing while the CA key exists: refused too, no key made
    copyFileSync(file(), `${file()}.bak`);
    rmSync(file());
    expect(await refusal()).toContain("is missing");
    copyFileSync(`${file()}.bak`, file());
    await start();
    expect(await checkValue()).toHaveLength(1);
  });

  it("checks TOTP secrets sealed by better-auth when they are the only sealed data", async () => {
    const svc = await start();
    const user = await svc.users.create(ctx, {
      email: `totp-${dialect}@example.com`,
      password: "correct horse battery staple",
      super: false,
    });
    const secret = await symmetricEncrypt({
      key: (await svc.auth.$context).secretConfig,
      data: "JBSWY3DPEHPK3PXP",
    });
    await db.db
      .insertInto("auth_two_factor")
      .values({ id: `tf-${dialect}`, secret, backupCodes: "[]", userId: user.id })
      .execute();
    await db.db.deleteFrom("pki").execute();
    await forgetCheck();
    const wrong = { STEWARD_MASTER_KEY: randomBytes(32).toString("base64") };
    expect(await refusal(wrong)).toContain("does not open the TOTP secrets");
    await start();
    expect(await checkValue()).toHaveLength(1);
  });
});
