// ftp.tls (docs/hosting.md#ftps-certificate): pure-ftpd's TLS certificate from the
// certificates capability. The certificate cert.install left for a site on this node
// (<tlsDir>/<id>/) is written as pure-ftpd's one PEM (key then chain, 0600 root), pure-ftpd is
// restarted (it reads the file only at start: neither a new connection nor SIGHUP re-reads
// it), and an AUTH TLS handshake on the FTP port must then show the new serial.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type FtpTlsOutput, ftpTlsInput } from "@steward/contracts/hosting";
import { leafOf } from "../certs/handshake.ts";
import { installedCertificate } from "../certs/paths.ts";
import { checked } from "../cron/render.ts";
import { FTP_AUTH_TLS, starttlsSerial } from "../mail/smtp-probe.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";

const SERVED_DEADLINE_MS = 20_000;

async function served(ctx: OpContext, serial: string) {
  const target = { host: "127.0.0.1", port: ctx.config.hosting.ftp.port };
  return ctx.step(`verify: AUTH TLS serves certificate ${serial}`, async () => {
    const deadline = Date.now() + SERVED_DEADLINE_MS;
    for (;;) {
      const got = await starttlsSerial(target, FTP_AUTH_TLS).catch((e: Error) => e);
      if (got === serial) return got;
      if (Date.now() > deadline || ctx.signal.aborted)
        throw new OpFailure(
          "VERIFY_FAILED",
          `pure-ftpd serves ${got instanceof Error ? `nothing (${got.message})` : `certificate ${got}`} after AUTH TLS, not ${serial}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
}

async function run(ctx: OpContext, unchecked: unknown): Promise<FtpTlsOutput> {
  const input = checked(ftpTlsInput, unchecked);
  const f = ctx.config.hosting.ftp;
  const installed = installedCertificate(ctx.config, input.certificate.id);
  if (!installed)
    throw new OpFailure(
      "CERTIFICATE_INVALID",
      `no certificate is installed for ${input.certificate.id} on this node (issue or upload the site's certificate first)`,
    );
  const [key, chain] = await Promise.all([
    readFile(installed.key, "utf8"),
    readFile(installed.chain, "utf8"),
  ]);
  const serial = leafOf(chain).serialNumber.toUpperCase();
  const pem = `${key.trimEnd()}\n${chain.trimEnd()}\n`;
  const changed = await ctx.phase("stage", () =>
    ctx.writeFile(f.certFile, pem, { mode: 0o600, uid: 0, gid: 0 }),
  );
  if (!existsSync(f.purePw))
    return {
      serial,
      served: null,
      notes: [`pure-ftpd is not installed (no ${f.purePw}): the certificate was written only`],
    };
  if (changed) {
    ctx.onRollback("restart pure-ftpd with the previous certificate", async () => {
      await ctx.exec("restart pure-ftpd", f.restart, { allowFailure: true });
    });
    await ctx.phase("activate", () => ctx.exec("restart pure-ftpd", f.restart));
  }
  return { serial, served: await ctx.phase("verify", () => served(ctx, serial)), notes: [] };
}

export const ftpTls: OpHandler<"ftp.tls"> = {
  name: "ftp.tls",
  services: ["pure-ftpd"],
  run,
};
