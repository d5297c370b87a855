// The node's mail certificate (docs/mail.md#tls): the certificate of a site on this node (as
// cert.install left it, <tlsDir>/<id>/), copied into Steward's own <configDir>/tls/, which
// main.cf (smtpd_tls_chain_files or smtpd_tls_cert_file/key_file) and dovecot.conf (ssl_cert,
// ssl_key) name once at install; after a reload, a STARTTLS handshake must show its serial.
// More certificates by SNI: sni.ts. Without a site's certificate (a node several accounts
// share), the node's own: self-signed for its host name, made once.
import { existsSync } from "node:fs";
import { chmod, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { leafOf } from "../certs/handshake.ts";
import { installedCertificate } from "../certs/paths.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { starttlsSerial } from "./smtp-probe.ts";

/**
 * How long the verify asks after a reload: a loaded node's Postfix can take well over 20 s to
 * greet again (a full test run on two cores saw it), and a verify given up too early rolls a
 * good certificate back.
 */
const SERVED_DEADLINE_MS = 60_000;

/** The key and chain cert.install left for site `id`, and the leaf's serial (upper-case hex). */
export async function readInstalled(ctx: OpContext, id: string) {
  const installed = installedCertificate(ctx.config, id);
  if (!installed)
    throw new OpFailure(
      "CERTIFICATE_INVALID",
      `no certificate is installed for ${id} on this node (issue or upload the site's certificate first)`,
    );
  const [key, chain] = await Promise.all([
    readFile(installed.key, "utf8"),
    readFile(installed.chain, "utf8"),
  ]);
  return { key, chain, serial: leafOf(chain).serialNumber.toUpperCase() };
}

/** Copies the certificate in; answers whether it changed and its serial (null: none asked). */
export async function stageCertificate(ctx: OpContext, certificate: { id: string } | null) {
  const dir = join(ctx.config.mail.configDir, "tls");
  const served = join(dir, "served");
  if (!certificate) {
    // no site's certificate is every client's (none named, or a node several accounts share):
    // one that was is replaced by the node's own, so no account's names stay shown to others
    const site = await readFile(served, "utf8").catch(() => "");
    if (!site.trim()) return { changed: false, serial: null };
    const own = await ownCertificate(ctx, dir);
    await writePair(ctx, dir, own.key, own.chain);
    // emptied, not removed: a failed apply puts the files it wrote back, this one too
    await ctx.writeFile(served, "", { mode: 0o644 });
    return { changed: true, serial: own.serial };
  }
  const { key, chain, serial } = await readInstalled(ctx, certificate.id);
  await ctx.mkdir(dir, { mode: 0o755 });
  const changed = await writePair(ctx, dir, key, chain);
  const marked = await ctx.writeFile(served, `${certificate.id}\n`, { mode: 0o644 });
  return { changed: changed || marked, serial };
}

async function writePair(ctx: OpContext, dir: string, key: string, chain: string) {
  const keyChanged = await ctx.writeFile(join(dir, "key.pem"), key, {
    mode: 0o600,
    uid: 0,
    gid: 0,
  });
  const chainChanged = await ctx.writeFile(join(dir, "fullchain.pem"), chain, { mode: 0o644 });
  return keyChanged || chainChanged;
}

/**
 * The node's own mail certificate: self-signed for its host name, made once by `openssl req`
 * (argv; the name checked as a DNS name first, else `localhost`) and kept in Steward's `tls/`.
 */
async function ownCertificate(ctx: OpContext, dir: string) {
  const key = join(dir, "own-key.pem");
  const cert = join(dir, "own-cert.pem");
  if (!existsSync(key) || !existsSync(cert)) {
    const host =
      /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(
        hostname().toLowerCase(),
      )
        ? hostname().toLowerCase()
        : "localhost";
    await ctx.exec("make the node's own mail certificate", [
      ...["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650"],
      ...["-subj", `/CN=${host}`, "-addext", `subjectAltName=DNS:${host}`],
      ...["-keyout", key, "-out", cert],
    ]);
    await chmod(key, 0o600);
  }
  const [k, c] = await Promise.all([readFile(key, "utf8"), readFile(cert, "utf8")]);
  return { key: k, chain: c, serial: leafOf(c).serialNumber.toUpperCase() };
}

/**
 * STARTTLS on the SMTP port serves `serial` (to a client naming `servername`, or naming none),
 * asked again until the deadline.
 */
export async function verifyServed(ctx: OpContext, serial: string, servername?: string) {
  const to = servername ? ` to ${servername}` : "";
  await ctx.step(`verify: STARTTLS serves certificate ${serial}${to}`, async () => {
    const deadline = Date.now() + SERVED_DEADLINE_MS;
    for (;;) {
      const got = await starttlsSerial(ctx.config.mail.smtp, undefined, servername).catch(
        (e: Error) => e,
      );
      if (got === serial) return;
      if (Date.now() > deadline || ctx.signal.aborted)
        throw new OpFailure(
          "VERIFY_FAILED",
          `Postfix serves ${got instanceof Error ? `nothing (${got.message})` : `certificate ${got}`}${to} after STARTTLS, not ${serial}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
}
