// The proof that nginx serves a certificate: a TLS handshake with the name as SNI on the
// node's HTTPS address, comparing the served leaf's serial with the installed one. Retried
// for a while (a reload takes effect a moment after it returns).
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { connect } from "node:tls";
import type { AgentConfig } from "../../config.ts";
import { type OpContext, OpFailure } from "../types.ts";

const HANDSHAKE_TIMEOUT_MS = 5_000;

/** The leaf (first certificate) of a PEM chain. */
export function leafOf(chain: string): X509Certificate {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chain)?.[0];
  if (!first) throw new Error("no certificate in the chain");
  return new X509Certificate(first);
}

/** Where nginx answers HTTPS on this node (a wildcard listen address is asked on loopback). */
export function httpsTarget(config: AgentConfig) {
  const a = config.nginx.listenAddress;
  const host = !a || a === "0.0.0.0" || a === "*" ? "127.0.0.1" : a === "[::]" ? "::1" : a;
  return { host: host.replace(/^\[(.*)\]$/, "$1"), port: config.nginx.httpsPort };
}

/** The serial of the certificate nginx serves for this name (upper-case hex), or an error. */
export function servedSerial(config: AgentConfig, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...httpsTarget(config),
      servername: name,
      rejectUnauthorized: false, // we compare the serial; trust is the CA's business
      timeout: 3000,
    });
    socket.once("secureConnect", () => {
      const serial = socket.getPeerCertificate().serialNumber ?? "";
      socket.end();
      resolve(serial.toUpperCase());
    });
    socket.once("timeout", () => socket.destroy(new Error("timed out")));
    socket.once("error", reject);
  });
}

/** Checks that every name is served the certificate in `chainFile`; returns its serial. */
export async function verifyServed(
  ctx: OpContext,
  names: string[],
  chainFile: string,
): Promise<string> {
  const want = leafOf(await readFile(chainFile, "utf8")).serialNumber.toUpperCase();
  await ctx.step(`verify: ${names[0]} serves certificate ${want} over TLS`, async () => {
    const deadline = Date.now() + HANDSHAKE_TIMEOUT_MS;
    for (const name of names) {
      for (;;) {
        const got = await servedSerial(ctx.config, name).catch((e: Error) => e);
        if (got === want) break;
        if (Date.now() > deadline || ctx.signal.aborted)
          throw new OpFailure(
            "VERIFY_FAILED",
            `https://${name} ${got instanceof Error ? `did not complete a TLS handshake (${got.message})` : `serves certificate ${got}`}, expected ${want}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  return want;
}
