// Requests from the agent to its panel (enrollment, agent upgrades' downloads). A panel with a
// certificate from a public CA is checked as any HTTPS site; a panel with a self-signed one
// is pinned instead: its public key's SHA-256, written `sha256//<base64>` as curl's
// --pinnedpubkey takes it (the console prints it, the installer passes it on). The pin is
// checked right after the handshake, before a byte of the request (the enrollment token) is
// sent.
import { createHash } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { Readable } from "node:stream";
import { connect, type TLSSocket } from "node:tls";
import { z } from "zod";

export const panelPinPattern = /^sha256\/\/[A-Za-z0-9+/]{43}=$/;
export const panelPin = z
  .string()
  .regex(panelPinPattern, "must be sha256//<base64 of the SHA-256 of the panel's public key>");

/** The pin of a certificate's public key (SubjectPublicKeyInfo DER), as curl writes it. */
export function pinOf(spkiDer: Uint8Array): string {
  return `sha256//${createHash("sha256").update(spkiDer).digest("base64")}`;
}

function pinnedSocket(url: URL, pin: string, signal?: AbortSignal): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const socket = connect(
      {
        host,
        port: Number(url.port || 443),
        ...(isIP(host) ? {} : { servername: host }),
        // the chain is not checked (self-signed): the key is, below, before anything is sent
        rejectUnauthorized: false,
        ALPNProtocols: ["http/1.1"],
        ...(signal ? { signal } : {}),
      },
      () => {
        const key = socket
          .getPeerX509Certificate()
          ?.publicKey.export({ type: "spki", format: "der" });
        if (key && pinOf(key) === pin) return resolve(socket);
        socket.destroy();
        reject(new Error(`the panel's TLS key is not the pinned one (${pin})`));
      },
    );
    socket.once("error", reject);
  });
}

/**
 * fetch, or with a pin a fetch-like request over a pinned TLS connection (https only; one
 * request per connection).
 */
export function panelFetch(pin: string | undefined): typeof fetch {
  if (!pin) return fetch;
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    if (url.protocol !== "https:") throw new Error("a pinned panel is reached over https only");
    const signal = init.signal ?? undefined;
    const socket = await pinnedSocket(url, pin, signal);
    const body = typeof init.body === "string" ? init.body : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: init.method ?? "GET",
          headers: { ...(init.headers as Record<string, string>), connection: "close" },
          createConnection: () => socket,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const headers = new Headers();
          for (const [k, val] of Object.entries(res.headers))
            if (typeof val === "string") headers.set(k, val);
          const status = res.statusCode ?? 500;
          const stream = status === 204 || status === 304 ? null : Readable.toWeb(res);
          resolve(new Response(stream as ReadableStream | null, { status, headers }));
        },
      );
      req.once("error", reject);
      req.end(body);
    });
  }) as typeof fetch;
}
