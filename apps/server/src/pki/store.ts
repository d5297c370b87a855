// The installation's PKI, kept in the `pki` table: the CA that signs every agent's certificate
// and the panel's client certificate (its key also signs the request tokens). Both are made on
// first use; private keys are sealed with the master key, never stored in the clear.
import { randomBytes } from "node:crypto";
import { certInfo, createCa, generateKey, importKey, issue, readCsr } from "@steward/pki";
import type { Kysely } from "kysely";
import type { Secrets } from "../crypto/secrets.ts";
import type { Database } from "../db/schema.ts";
import { mintToken } from "./token.ts";

const DAY = 86_400_000;
export const CA_DAYS = 3650;
export const PANEL_DAYS = 365;
export const NODE_DAYS = 90;
/** the panel's certificate is re-issued when it has less than this left */
export const PANEL_RENEW_BEFORE_DAYS = 30;
export const PANEL_CN = "steward-panel";

export interface CertAndKey {
  certificate: string;
  /** PKCS#8 PEM */
  key: string;
  notAfter: number;
}

export interface PkiDeps {
  db: Kysely<Database>;
  secrets: Secrets;
  now?: () => number;
}

export function createPkiStore({ db, secrets, now = Date.now }: PkiDeps) {
  let ca: Promise<CertAndKey> | null = null;
  let panel: Promise<CertAndKey> | null = null;
  let signingKey: { pem: string; key: Promise<CryptoKey> } | null = null;

  const open = (row: { certificate: string; key_enc: string }): CertAndKey => ({
    certificate: row.certificate,
    key: secrets.open(row.key_enc),
    notAfter: certInfo(row.certificate).notAfter.getTime(),
  });

  const read = (name: string) =>
    db
      .selectFrom("pki")
      .select(["certificate", "key_enc"])
      .where("name", "=", name)
      .executeTakeFirst();

  /** Inserts unless a row exists, then reads back whichever row won. */
  async function insertOrRead(name: string, certificate: string, key: string) {
    await db
      .insertInto("pki")
      .values({ name, certificate, key_enc: secrets.seal(key), created_at: now() })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const row = await read(name);
    if (!row) throw new Error(`the ${name} certificate vanished`);
    return open(row);
  }

  async function loadCa(): Promise<CertAndKey> {
    const row = await read("ca");
    if (row) return open(row);
    const key = await generateKey();
    const cn = `Steward CA ${randomBytes(4).toString("hex")}`;
    return insertOrRead("ca", await createCa(cn, key, CA_DAYS), key.privateKey);
  }

  async function issuePanel(c: CertAndKey, keyPem: string): Promise<string> {
    const keys = await importKey(keyPem);
    return issue({
      caCertificate: c.certificate,
      caKey: c.key,
      commonName: PANEL_CN,
      publicKey: keys.publicKey,
      days: PANEL_DAYS,
      usage: "client",
    });
  }

  async function loadPanel(): Promise<CertAndKey> {
    const c = await getCa();
    const row = await read("panel");
    if (!row) {
      const key = await generateKey();
      return insertOrRead("panel", await issuePanel(c, key.privateKey), key.privateKey);
    }
    const current = open(row);
    if (current.notAfter - now() > PANEL_RENEW_BEFORE_DAYS * DAY) return current;
    // Renewed with the same key: agents verify request tokens with the key they were given
    // at enrollment, so it must not change under them. Only one process's renewal lands.
    const certificate = await issuePanel(c, current.key);
    await db
      .updateTable("pki")
      .set({ certificate, created_at: now() })
      .where("name", "=", "panel")
      .where("certificate", "=", row.certificate)
      .execute();
    const fresh = await read("panel");
    if (!fresh) throw new Error("the panel certificate vanished");
    return open(fresh);
  }

  /** Cached loads; a failed one is retried at the next call. */
  function getCa(): Promise<CertAndKey> {
    ca ??= loadCa().catch((e) => {
      ca = null;
      throw e;
    });
    return ca;
  }

  async function getPanel(): Promise<CertAndKey> {
    if (panel) {
      const p = await panel;
      if (p.notAfter - now() > PANEL_RENEW_BEFORE_DAYS * DAY) return p;
      panel = null;
    }
    panel ??= loadPanel().catch((e) => {
      panel = null;
      throw e;
    });
    return panel;
  }

  async function panelSigningKey(): Promise<CryptoKey> {
    const p = await getPanel();
    if (signingKey?.pem !== p.key)
      signingKey = { pem: p.key, key: importKey(p.key).then((k) => k.privateKey) };
    return signingKey.key;
  }

  return {
    /** The installation's CA (made on first use). */
    ca: getCa,
    /** The panel's client certificate and key (made on first use, renewed before expiry). */
    panel: getPanel,

    /**
     * Signs an agent's request: a 90-day certificate for TLS server and client use, named
     * after the node, valid for the given host names and addresses. Throws a plain Error
     * saying what is wrong with a request that does not verify.
     */
    async signNodeCsr(nodeId: string, csrPem: string, hosts: string[]) {
      const csr = await readCsr(csrPem);
      const c = await getCa();
      const certificate = await issue({
        caCertificate: c.certificate,
        caKey: c.key,
        commonName: nodeId,
        publicKey: csr.publicKey,
        hosts: [...new Set(hosts)],
        days: NODE_DAYS,
        usage: "server-and-client",
      });
      const info = certInfo(certificate);
      return { certificate, fingerprint: info.fingerprint, expiresAt: info.notAfter.getTime() };
    },

    /** A short-lived request token for one node and one purpose (see the agent protocol). */
    async mintToken(nodeId: string, sub: string): Promise<string> {
      return mintToken(await panelSigningKey(), nodeId, sub, now());
    },
  };
}

export type PkiStore = ReturnType<typeof createPkiStore>;

/** One sealed private key of the PKI, if any (the master key check tries to open it). */
export const anySealedPkiKey = async (db: Kysely<Database>) =>
  (await db.selectFrom("pki").select("key_enc").limit(1).executeTakeFirst())?.key_enc;
