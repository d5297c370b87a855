// The installation's ACME account and client (acme-client): one account per directory URL,
// registered once and reused, its key (ECDSA P-256) sealed at rest with the master key. The
// directory is Let's Encrypt's production one unless configured (a staging switch, or any
// URL: pebble in tests), and `acmeCaFile` adds CAs to trust for its HTTPS.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { rootCertificates } from "node:tls";
import type acme from "acme-client";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import * as repo from "./repo.ts";

export type AcmeSettings = Pick<
  Settings,
  "acmeDirectory" | "acmeStaging" | "acmeCaFile" | "acmeEmail"
>;

/** Let's Encrypt's directories (acme-client's `directory.letsencrypt`, without loading it) */
const LETS_ENCRYPT = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
};

export function directoryOf(s: AcmeSettings): string {
  if (s.acmeDirectory) return s.acmeDirectory;
  return s.acmeStaging ? LETS_ENCRYPT.staging : LETS_ENCRYPT.production;
}

type Acme = typeof acme;
let library: Promise<Acme> | undefined;
let trustedFile: string | null | undefined;

/**
 * acme-client, loaded the first time a certificate is asked for (9 MB of heap and 0.3 s of a
 * start that issues none) and set up then: its one axios instance trusts `caFile` too.
 */
export async function acmeLibrary(caFile: string | undefined): Promise<Acme> {
  const lib = await loadAcme();
  if (trustedFile !== (caFile ?? null)) {
    const ca = caFile ? [...rootCertificates, readFileSync(caFile, "utf8")] : undefined;
    lib.axios.defaults.httpsAgent = new Agent(ca ? { ca, keepAlive: true } : { keepAlive: true });
    trustedFile = caFile ?? null;
  }
  return lib;
}

/** acme-client as it is trusted now (acmeLibrary sets the trust) */
export function loadAcme(): Promise<Acme> {
  library ??= import("acme-client").then(({ default: lib }) => setUp(lib));
  return library;
}

function setUp(lib: Acme): Acme {
  // a 429 is a rate limit whose Retry-After may be hours: say so (failures.ts) rather than wait
  const retries = (lib.axios.defaults as { acmeSettings?: Record<string, number> }).acmeSettings;
  if (retries) Object.assign(retries, { retryMaxAttempts: 2, retryDefaultDelay: 1 });
  // A CA that cannot be reached at all (refused, reset, timed out: no HTTP answer) is said so.
  // acme-client's own response interceptor reads `response.config` of such an error and throws
  // "Cannot read properties of undefined" instead; this one runs first (axios' `handlers` are
  // public) and answers an error without `config`, which acme-client passes on untouched.
  lib.axios.interceptors.response.handlers?.unshift({
    fulfilled: (r) => r,
    rejected: unreachable,
    synchronous: false,
    runWhen: null,
  });
  return lib;
}

const unreachable = (err: {
  config?: { url?: string };
  response?: unknown;
  code?: string;
  message?: string;
}) =>
  err.response || !err.config
    ? Promise.reject(err)
    : Promise.reject(
        new Error(
          `the CA could not be reached at ${err.config.url ?? "its directory"} (${err.code ?? err.message ?? "no answer"})`,
        ),
      );

const clientOptions = { backoffAttempts: 20, backoffMin: 250, backoffMax: 5_000 };

/** A client of the installation's account at the configured directory (registered if new). */
export async function acmeClient(db: Db, secrets: Secrets, s: AcmeSettings): Promise<acme.Client> {
  const lib = await acmeLibrary(s.acmeCaFile);
  const directoryUrl = directoryOf(s);
  const found = await repo.findAcmeAccount(db.db, directoryUrl);
  if (found)
    return new lib.Client({
      ...clientOptions,
      directoryUrl,
      accountKey: secrets.open(found.key_enc),
      accountUrl: found.account_url,
    });
  const { privateKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const client = new lib.Client({ ...clientOptions, directoryUrl, accountKey: privateKey });
  await client.createAccount({
    termsOfServiceAgreed: true,
    ...(s.acmeEmail ? { contact: [`mailto:${s.acmeEmail}`] } : {}),
  });
  await repo.saveAcmeAccount(db.db, {
    directory: directoryUrl,
    key_enc: secrets.seal(privateKey),
    account_url: client.getAccountUrl(),
    created_at: Date.now(),
  });
  // another process may have registered first: use the account that was kept
  const kept = await repo.findAcmeAccount(db.db, directoryUrl);
  if (!kept || kept.account_url === client.getAccountUrl()) return client;
  return new lib.Client({
    ...clientOptions,
    directoryUrl,
    accountKey: secrets.open(kept.key_enc),
    accountUrl: kept.account_url,
  });
}
