// The installation's PKI on both databases: one CA however many processes start at once,
// private keys sealed at rest, the panel's certificate renewed (same key) before it expires,
// node certificates and request tokens as the agent protocol describes them.
import { randomBytes, X509Certificate } from "node:crypto";
import { agent } from "@steward/contracts";
import { certInfo, createCsr, generateKey, issue } from "@steward/pki";
import { dialects } from "@steward/testkit";
import { decodeProtectedHeader, importX509, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSecrets } from "../crypto/secrets.ts";
import type { Db } from "../db/open.ts";
import { openTestDb } from "../testing/test-db.ts";
import { createPkiStore } from "./store.ts";

const DAY = 86_400_000;

describe.each(dialects())("pki store on %s", (dialect) => {
  let db: Db;
  const secrets = createSecrets(randomBytes(32));
  const store = (now?: () => number) => createPkiStore({ db: db.db, secrets, now });
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.db.deleteFrom("pki").execute();
  });
  const rows = () => db.db.selectFrom("pki").selectAll().orderBy("name").execute();

  it("makes one CA and one panel certificate under concurrent first use", async () => {
    const stores = Array.from({ length: 6 }, () => store());
    const cas = await Promise.all(stores.map((s) => s.ca()));
    const panels = await Promise.all(stores.map((s) => s.panel()));
    expect(new Set(cas.map((c) => c.certificate)).size).toBe(1);
    expect(new Set(panels.map((p) => p.certificate)).size).toBe(1);
    expect((await rows()).map((r) => r.name)).toEqual(["ca", "panel"]);

    const ca = new X509Certificate(cas[0]?.certificate ?? "");
    expect(ca.ca).toBe(true);
    expect(ca.subject).toMatch(/^CN=Steward CA [0-9a-f]{8}$/);
    expect(new Date(ca.validTo).getTime()).toBeGreaterThan(Date.now() + 3640 * DAY);
    const panel = certInfo(panels[0]?.certificate ?? "");
    expect(panel.commonName).toBe("steward-panel");
    expect(panel.issuedBy(cas[0]?.certificate ?? "")).toBe(true);
    expect(panel.notAfter.getTime()).toBeGreaterThan(Date.now() + 360 * DAY);
    expect(panel.notAfter.getTime()).toBeLessThan(Date.now() + 366 * DAY);
    const x = new X509Certificate(panels[0]?.certificate ?? "");
    expect(x.toLegacyObject().ext_key_usage).toEqual(["1.3.6.1.5.5.7.3.2"]); // clientAuth only
  });

  it("keeps private keys sealed: the raw key is never in the table", async () => {
    const s = store();
    const ca = await s.ca();
    const panel = await s.panel();
    for (const row of await rows()) {
      const raw = row.name === "ca" ? ca.key : panel.key;
      const body = raw.replace(/-----[A-Z ]+-----|\s/g, "");
      expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
      expect(JSON.stringify(row)).not.toContain(body.slice(20, 60));
      expect(row.key_enc).toMatch(/^v1:/);
      expect(secrets.open(row.key_enc)).toBe(raw);
    }
    // another master key cannot open them
    const other = createPkiStore({ db: db.db, secrets: createSecrets(randomBytes(32)) });
    await expect(other.ca()).rejects.toThrow();
  });

  it("renews the panel certificate with the same key when less than 30 days are left", async () => {
    // a panel certificate with 10 days left, as a year-old installation has
    const ca = await store().ca();
    const key = await generateKey();
    const short = await issue({
      caCertificate: ca.certificate,
      caKey: ca.key,
      commonName: "steward-panel",
      publicKey: key.keys.publicKey,
      days: 10,
      usage: "client",
    });
    await db.db
      .insertInto("pki")
      .values({
        name: "panel",
        certificate: short,
        key_enc: secrets.seal(key.privateKey),
        created_at: 1,
      })
      .execute();
    const [a, b] = await Promise.all([store().panel(), store().panel()]);
    expect(a.certificate).not.toBe(short);
    expect(a.key).toBe(key.privateKey);
    expect(a.notAfter).toBeGreaterThan(Date.now() + 360 * DAY);
    // one renewal lands; the other process reads it back
    expect(b.certificate).toBe(a.certificate);
    const row = (await rows()).find((r) => r.name === "panel");
    expect(row?.certificate).toBe(a.certificate);
    expect(await store().panel()).toEqual(a);
  });

  it("signs a node's request for 90 days, for its hosts, for server and client use", async () => {
    const s = store();
    const key = await generateKey();
    const signed = await s.signNodeCsr("node_abc", await createCsr("agent", key), [
      "agent.example.com",
      "localhost",
      "127.0.0.1",
      "localhost",
    ]);
    const x = new X509Certificate(signed.certificate);
    expect(x.subject).toBe("CN=node_abc");
    expect(x.subjectAltName).toBe("DNS:agent.example.com, DNS:localhost, IP Address:127.0.0.1");
    expect(x.checkIssued(new X509Certificate((await s.ca()).certificate))).toBe(true);
    expect(x.toLegacyObject().ext_key_usage?.sort()).toEqual([
      "1.3.6.1.5.5.7.3.1",
      "1.3.6.1.5.5.7.3.2",
    ]);
    expect(signed.expiresAt).toBeGreaterThan(Date.now() + 89 * DAY);
    expect(signed.expiresAt).toBeLessThan(Date.now() + 91 * DAY);
    expect(signed.fingerprint).toBe(certInfo(signed.certificate).fingerprint);
    await expect(s.signNodeCsr("node_abc", "not a csr", [])).rejects.toThrow(/certificate request/);
  });

  it("mints ES256 request tokens the panel certificate verifies, for one node, two minutes", async () => {
    const s = store();
    const token = await s.mintToken("node_abc", "op:system.ping");
    const key = await importX509((await s.panel()).certificate, "ES256");
    const { payload } = await jwtVerify(token, key, {
      issuer: agent.TOKEN_ISSUER,
      audience: "node_abc",
      subject: "op:system.ping",
    });
    expect(decodeProtectedHeader(token).alg).toBe("ES256");
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);
    const second = await s.mintToken("node_abc", "op:system.ping");
    expect((await jwtVerify(second, key)).payload.jti).not.toBe(payload.jti);
    await expect(jwtVerify(token, key, { audience: "node_other" })).rejects.toThrow();
  });
});
