// ftp.tls as root against the hermetic pure-ftpd (testkit startHostingFtp, restarted as
// systemd would): the certificate installed for a site (as cert.install leaves it under
// <tlsDir>/<id>/) becomes the one served over explicit FTPS, checked with basic-ftp; a renewal
// (a new certificate for the same site, ftp.tls again) changes the serial served; the same
// certificate again changes nothing and does not restart; a site without a certificate or a
// hostile id is refused and leaves the served certificate as it was.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { localCertificate, startHostingFtp, testCa } from "@steward/testkit";
import { Client } from "basic-ftp";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { ftpTls } from "./ftp-tls.ts";

const ftp = await startHostingFtp();
const work = mkdtempSync(join(tmpdir(), "stw-ftptls-"));
const config = ftp
  ? parseConfig(join(work, "agent"), {
      nodeId: "test-node",
      panelUrl: "https://panel.test:7443",
      systemd: false,
      tlsDir: join(work, "tls"),
      hosting: {
        ftp: {
          purePw: ftp.purePw,
          passwdFile: ftp.passwdFile,
          pdbFile: ftp.pdbFile,
          certFile: ftp.certFile,
          restart: ftp.restart,
          port: ftp.port,
        },
      },
    })
  : null;

afterAll(async () => {
  await ftp?.stop();
  rmSync(work, { recursive: true, force: true });
});

const ca = await testCa("Steward test site CA");

/** A certificate for the site as cert.install leaves it; answers its serial. */
async function installFor(id: string) {
  const leaf = await localCertificate(ca, "files.example.test");
  const dir = join(work, "tls", id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, "key.pem"), leaf.key, { mode: 0o600 });
  writeFileSync(join(dir, "fullchain.pem"), `${leaf.cert}\n${ca.certificate}`);
  return leaf.serial;
}

/** The serial the FTP port serves after AUTH TLS (basic-ftp, explicit FTPS). */
async function servedSerial() {
  const client = new Client(5_000);
  try {
    await client.connect(ftp?.host, ftp?.port);
    await client.useTLS({ rejectUnauthorized: false });
    return (client.ftp.socket as TLSSocket).getPeerCertificate().serialNumber.toUpperCase();
  } finally {
    client.close();
  }
}

const run = (input: unknown) =>
  runOperation(ftpTls, input, {
    config: config as NonNullable<typeof config>,
    requestId: `t-${randomBytes(3).toString("hex")}`,
  });

describe.skipIf(!ftp)("ftp.tls (pure-ftpd's certificate from the certificates capability)", () => {
  const site = `site${randomBytes(3).toString("hex")}`;

  it("serves the site's certificate over FTPS, and the renewed one after a renewal", async () => {
    const first = await installFor(site);
    const r1 = await run({ certificate: { id: site } });
    expect(r1.status, JSON.stringify(r1.error)).toBe("ok");
    expect(r1.output).toEqual({ serial: first, served: first, notes: [] });
    expect(await servedSerial()).toBe(first);
    const pem = statSync(ftp?.certFile ?? "");
    expect(pem.mode & 0o777).toBe(0o600);
    expect(pem.uid).toBe(0);
    expect(readFileSync(ftp?.certFile ?? "", "utf8")).toContain("PRIVATE KEY");

    const same = await run({ certificate: { id: site } });
    expect(same.status).toBe("ok");
    expect(same.changed).toBe(false);
    expect(same.steps.map((s) => s.name)).not.toContain("restart pure-ftpd");

    const renewed = await installFor(site);
    expect(renewed).not.toBe(first);
    const r2 = await run({ certificate: { id: site } });
    expect(r2.status, JSON.stringify(r2.error)).toBe("ok");
    expect(r2.changed).toBe(true);
    expect(await servedSerial()).toBe(renewed);
  });

  it("refuses a site without a certificate and hostile ids, changing nothing", async () => {
    const before = readFileSync(ftp?.certFile ?? "", "utf8");
    const served = await servedSerial();
    const none = await run({ certificate: { id: "nocert" } });
    expect(none.status).toBe("failed");
    expect(none.error?.code).toBe("CERTIFICATE_INVALID");
    for (const id of ["../etc", "a;b", "a b", "x".repeat(200), "a\nb", "a\u0000b", ""]) {
      const r = await run({ certificate: { id } });
      expect(r.status, id).toBe("failed");
      expect(r.error?.code, id).toBe("OP_INPUT_INVALID");
      expect(r.error?.message, id).toMatch(/^certificate\.id/);
    }
    expect(await run({ certificate: null })).toMatchObject({ status: "failed" });
    expect(readFileSync(ftp?.certFile ?? "", "utf8")).toBe(before);
    expect(await servedSerial()).toBe(served);
  });
});
