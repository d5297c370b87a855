// The panel's own certificate on disk (STEWARD_TLS_DOMAIN), in `<dataDir>/panel-tls/`: its key
// (made by the panel, 0600, never in the database), its chain, and the http-01 answers of a
// pending order (`challenges/<token>`, what the challenge listener serves: files, so the
// process running the order and the one answering the CA may differ). Until a CA has issued
// one, a self-signed stand-in lets the HTTPS port serve (http/tls.ts loads these files and
// reloads them when they change).
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Settings } from "../../config/schema.ts";

export interface PanelTlsPaths {
  dir: string;
  cert: string;
  key: string;
  challenges: string;
}

export function panelTlsPaths(dataDir: string): PanelTlsPaths {
  const dir = join(dataDir, "panel-tls");
  return {
    dir,
    cert: join(dir, "fullchain.pem"),
    key: join(dir, "key.pem"),
    challenges: join(dir, "challenges"),
  };
}

export type TlsSettings = Pick<Settings, "tlsCert" | "tlsKey"> &
  Partial<Pick<Settings, "tlsDomain" | "dataDir">>;

/** The files the panel serves HTTPS from: supplied, or its own (STEWARD_TLS_DOMAIN). */
export function tlsFiles(settings: TlsSettings): Pick<Settings, "tlsCert" | "tlsKey"> {
  if (!settings.tlsDomain || !settings.dataDir) return settings;
  const own = panelTlsPaths(settings.dataDir);
  return { tlsCert: own.cert, tlsKey: own.key };
}

/** An ACME token as RFC 8555 makes it (base64url): the only names a challenge file gets. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** Writes `text` to `file` whole or not at all (a temp file renamed over it). */
function writeAtomic(file: string, text: string, mode: number) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

/** A self-signed pair for the domain when there is no pair yet; true when one was made. */
export async function ensureStandIn(
  settings: Pick<Settings, "dataDir" | "tlsDomain">,
): Promise<boolean> {
  if (!settings.tlsDomain) return false;
  const p = panelTlsPaths(settings.dataDir);
  if (existsSync(p.cert) && existsSync(p.key)) return false;
  // the PKI library only when a stand-in is made: the CLI and the installer route read paths only
  const { generateKey, selfSigned } = await import("@steward/pki");
  const key = await generateKey();
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  writeAtomic(p.key, key.privateKey, 0o600);
  writeAtomic(p.cert, await selfSigned(settings.tlsDomain, key), 0o644);
  return true;
}

/** A newly issued key and chain, the key first (the watcher keeps the old pair until both fit). */
export function writePanelPair(dataDir: string, key: string, chain: string) {
  const p = panelTlsPaths(dataDir);
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  writeAtomic(p.key, key, 0o600);
  writeAtomic(p.cert, chain, 0o644);
}

/** The leaf of the panel's chain as it is on disk, and whether it is the self-signed stand-in. */
export function panelLeaf(
  dataDir: string,
): { leaf: X509Certificate; chain: string; standIn: boolean } | null {
  try {
    const chain = readFileSync(panelTlsPaths(dataDir).cert, "utf8");
    const leaf = new X509Certificate(chain);
    return { leaf, chain, standIn: leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey) };
  } catch {
    return null;
  }
}

export function placeChallenge(dataDir: string, token: string, keyAuthorization: string) {
  if (!TOKEN.test(token))
    throw new Error(`the CA's token ${JSON.stringify(token)} is not base64url`);
  const dir = panelTlsPaths(dataDir).challenges;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAtomic(join(dir, token), keyAuthorization, 0o600);
}

export function removeChallenge(dataDir: string, token: string) {
  if (TOKEN.test(token)) rmSync(join(panelTlsPaths(dataDir).challenges, token), { force: true });
}

/** The answer to a pending challenge of the panel's own order, or null. */
export function readChallenge(dataDir: string, token: string): string | null {
  if (!TOKEN.test(token)) return null;
  try {
    return readFileSync(join(panelTlsPaths(dataDir).challenges, token), "utf8");
  } catch {
    return null;
  }
}
