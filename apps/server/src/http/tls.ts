// The panel's own HTTPS from supplied files (STEWARD_TLS_CERT, STEWARD_TLS_KEY), or from the
// ones it obtains itself (STEWARD_TLS_DOMAIN, modules/certificates/panel-files.ts): read and
// checked at startup (a chain whose leaf the key matches, not expired: else the panel does
// not start, naming the setting), then watched: a renewed pair is loaded into the running
// server (`setSecureContext`) without a restart; a bad one is logged and the old one kept.
import { createPrivateKey as createKey, X509Certificate } from "node:crypto";
import { readFileSync, unwatchFile, watchFile } from "node:fs";
import type { Server } from "node:https";
import type { Logger } from "pino";
import { StartupError } from "../lib/errors.ts";
import { type TlsSettings, tlsFiles } from "../modules/certificates/panel-files.ts";

export { tlsFiles };

export interface TlsPair {
  cert: string;
  key: string;
  serial: string;
}

/** Whether the panel serves HTTPS (a supplied pair or its own domain's). */
export const servesHttps = (settings: TlsSettings) => !!(settings.tlsCert || settings.tlsDomain);

/** The supplied pair, checked; null without TLS settings. Throws naming what is wrong. */
export function readTls(settings: TlsSettings, now = Date.now()): TlsPair | null {
  const { tlsCert, tlsKey } = tlsFiles(settings);
  if (!tlsCert && !tlsKey) return null;
  if (!tlsCert || !tlsKey)
    throw new StartupError(
      `STEWARD_TLS_CERT and STEWARD_TLS_KEY go together: ${tlsCert ? "STEWARD_TLS_KEY" : "STEWARD_TLS_CERT"} is not set`,
    );
  const read = (file: string, name: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new StartupError(`${name}: ${file} cannot be read (${(err as Error).message})`);
    }
  };
  const cert = read(tlsCert, "STEWARD_TLS_CERT");
  const key = read(tlsKey, "STEWARD_TLS_KEY");
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw new StartupError(`STEWARD_TLS_CERT: ${tlsCert} is not a PEM certificate`);
  }
  let matches = false;
  try {
    matches = leaf.checkPrivateKey(createKey(key));
  } catch {
    throw new StartupError(`STEWARD_TLS_KEY: ${tlsKey} is not a PEM private key`);
  }
  if (!matches) throw new StartupError(`STEWARD_TLS_KEY: ${tlsKey} is not the key of ${tlsCert}`);
  if (Date.parse(leaf.validTo) < now)
    throw new StartupError(`STEWARD_TLS_CERT: ${tlsCert} expired on ${leaf.validTo}`);
  return { cert, key, serial: leaf.serialNumber.toUpperCase() };
}

/**
 * Loads a changed pair into `server` when either file changes (polled every `intervalMs`);
 * answers the function that stops watching.
 */
export function watchTls(
  server: Server,
  settings: TlsSettings,
  log: Logger,
  intervalMs = 2000,
): () => void {
  const own = tlsFiles(settings);
  const files = [own.tlsCert, own.tlsKey].filter((f): f is string => !!f);
  let serial = readTls(settings)?.serial;
  const reload = () => {
    try {
      const pair = readTls(settings);
      if (!pair || pair.serial === serial) return;
      server.setSecureContext({ cert: pair.cert, key: pair.key });
      log.info({ serial: pair.serial, was: serial }, "the panel's TLS certificate was reloaded");
      serial = pair.serial;
    } catch (err) {
      // mid-renewal (one file written, not the other) or broken: keep serving the old one
      log.warn({ err: (err as Error).message }, "the panel's TLS files were not reloaded");
    }
  };
  for (const file of files) watchFile(file, { interval: intervalMs }, reload);
  return () => {
    for (const file of files) unwatchFile(file, reload);
  };
}
