// The panel's own HTTPS from supplied files: the API answers over TLS with the supplied
// certificate, session cookies are Secure, a renewed pair written over the files is served
// without a restart, and a pair that does not fit stops the start naming the setting.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localCertificate, testCa } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedCertificate } from "../testing/handshake.ts";
import { PASSWORD, startTestServer, type TestServer } from "../testing/harness.ts";
import { readTls } from "./tls.ts";

const dir = mkdtempSync(join(tmpdir(), "steward-tls-"));
const files = { cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
const authority = await testCa("steward panel test ca");
const ca = authority.certificate;
const pair = () => localCertificate(authority, "localhost");

/** The serial served on `port`, once the test CA vouches for the chain. */
async function served(port: number) {
  const got = await servedCertificate({ host: "127.0.0.1", port, ca, servername: "localhost" });
  if (!got.authorized) throw new Error(`the served chain (${got.serial}) is not the test CA's`);
  return got.serial;
}

function https(port: number, method: string, path: string, headers = {}, body?: string) {
  return new Promise<{ status: number; cookies: string[] }>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path, ca, servername: "localhost", headers },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, cookies: res.headers["set-cookie"] ?? [] }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the panel's own HTTPS (STEWARD_TLS_CERT, STEWARD_TLS_KEY)", () => {
  let s: TestServer;
  let port = 0;
  let first: Awaited<ReturnType<typeof pair>>;

  beforeAll(async () => {
    first = await pair();
    writeFileSync(files.cert, first.cert);
    writeFileSync(files.key, first.key, { mode: 0o600 });
    s = await startTestServer("sqlite", {
      STEWARD_TLS_CERT: files.cert,
      STEWARD_TLS_KEY: files.key,
    });
    port = Number(new URL(s.url).port);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the API over TLS with the supplied certificate, and session cookies are Secure", async () => {
    expect(await served(port)).toBe(first.serial);
    expect((await https(port, "GET", "/api/v1/me")).status).toBe(401);
    const user = await s.createUser("tls@example.com");
    const signIn = await https(
      port,
      "POST",
      "/api/auth/sign-in/email",
      { "content-type": "application/json", origin: s.svc.consoleOrigins[0] ?? "" },
      JSON.stringify({ email: user.email, password: PASSWORD }),
    );
    expect(signIn.status).toBe(200);
    const session = signIn.cookies.find((c) => c.includes("session_token"));
    expect(session).toMatch(/; Secure/i);
  });

  it("serves a renewed pair written over the files without a restart", async () => {
    const next = await pair();
    writeFileSync(files.key, next.key, { mode: 0o600 });
    writeFileSync(files.cert, next.cert);
    const deadline = Date.now() + 30_000;
    let now = await served(port);
    while (now !== next.serial && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      now = await served(port);
    }
    expect(now).toBe(next.serial);
  });

  it("refuses to start on a pair that does not fit, naming the setting", async () => {
    const other = await pair();
    const wrongKey = join(dir, "other-key.pem");
    writeFileSync(wrongKey, other.key);
    expect(() => readTls({ tlsCert: files.cert, tlsKey: wrongKey })).toThrow(
      /STEWARD_TLS_KEY: .* is not the key of/,
    );
    expect(() => readTls({ tlsCert: files.cert, tlsKey: undefined })).toThrow(
      /STEWARD_TLS_KEY is not set/,
    );
    expect(() => readTls({ tlsCert: join(dir, "missing.pem"), tlsKey: wrongKey })).toThrow(
      /STEWARD_TLS_CERT: .* cannot be read/,
    );
  });
});
