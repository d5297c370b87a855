// The node's mail certificate (docs/mail.md#tls): the certificate of a site on this node (as
// cert.install left it, <tlsDir>/<id>/), copied into Steward's own <configDir>/tls/, which
// main.cf (smtpd_tls_chain_files or smtpd_tls_cert_file/key_file) and dovecot.conf (ssl_cert,
// ssl_key) name once at install; after a reload, a STARTTLS handshake must show its serial.
// More certificates by SNI: sni.ts.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { leafOf } from "../certs/handshake.ts";
import { installedCertificate } from "../certs/paths.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { starttlsSerial } from "./smtp-probe.ts";

const SERVED_DEADLINE_MS = 20_000;

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
  if (!certificate) return { changed: false, serial: null };
  const m = ctx.config.mail;
  const { key, chain, serial } = await readInstalled(ctx, certificate.id);
  const dir = join(m.configDir, "tls");
  await ctx.mkdir(dir, { mode: 0o755 });
  const keyChanged = await ctx.writeFile(join(dir, "key.pem"), key, {
    mode: 0o600,
    uid: 0,
    gid: 0,
  });
  const chainChanged = await ctx.writeFile(join(dir, "fullchain.pem"), chain, { mode: 0o644 });
  return { changed: keyChanged || chainChanged, serial };
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
