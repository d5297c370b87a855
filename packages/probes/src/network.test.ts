// The TCP, TLS and DNS probes against real local servers: a listening and a closed port; TLS
// servers with a valid chain (a test CA), an expired, a self-signed and a soon-expiring
// certificate (a CA's own, which verifies for no server); BIND from the testkit serving a static zone.

import type { AddressInfo } from "node:net";
import { createServer as createTcpServer, type Server } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { makeCa } from "@steward/agent/testing";
import { dnsMonitor, tcpMonitor, tlsMonitor } from "@steward/contracts/monitors";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { createCa, createCsr, generateKey, issue, readCsr } from "@steward/pki";
import { type DnsServer, freePort, startDns } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeDns } from "./dns.ts";
import { probeTcp } from "./tcp.ts";
import { probeTls } from "./tls.ts";

const policy = { ...DEFAULT_POLICY, allow: ["127.0.0.1/32"] };
const servers: Server[] = [];
let authority: { ca: string; caKey: string };

async function listen(server: Server) {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A TLS server for 127.0.0.1 with a certificate of the test CA valid for `days`. */
async function tlsServer(days: number) {
  const key = await generateKey();
  const { publicKey } = await readCsr(await createCsr("monitored", key));
  const cert = await issue({
    caCertificate: authority.ca,
    caKey: authority.caKey,
    commonName: "monitored",
    publicKey,
    hosts: ["127.0.0.1"],
    days,
    usage: "server-and-client",
  });
  return listen(createTlsServer({ key: key.privateKey, cert }, (s) => s.end()));
}

beforeAll(async () => {
  authority = await makeCa();
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

describe("TCP probe", () => {
  it("is up when the port accepts, down when it refuses or the policy does", async () => {
    const port = await listen(createTcpServer((s) => s.end()));
    const check = (p: number, deps = { policy }) =>
      probeTcp(tcpMonitor.parse({ kind: "tcp", host: "127.0.0.1", port: p }), 1000, deps);
    expect(await check(port)).toMatchObject({ outcome: "up", message: `port ${port} is open` });
    const closed = await check(await freePort());
    expect(closed.outcome).toBe("down");
    expect(closed.message).toContain("ECONNREFUSED");
    expect((await check(port, { policy: DEFAULT_POLICY })).message).toBe(
      "host: 127.0.0.1 is a loopback address, which this panel does not allow",
    );
  });
});

describe("TLS probe", () => {
  /** checks 127.0.0.1:port trusting the test CA, or (trusted false) the system's CAs only */
  const check = (port: number, extra: Record<string, unknown> = {}, trusted = true) =>
    probeTls(tlsMonitor.parse({ kind: "tls", host: "127.0.0.1", port, ...extra }), 2000, {
      policy,
      ...(trusted ? { ca: authority.ca } : {}),
    });

  it("is up with a valid chain, saying until when", async () => {
    const result = await check(await tlsServer(90));
    expect(result.outcome).toBe("up");
    expect(result.message).toMatch(/^valid until .* \(89 days\)$/);
  });

  it("is degraded within the warning days", async () => {
    const result = await check(await tlsServer(5), { warnDays: 14 });
    expect(result.outcome).toBe("degraded");
    expect(result.message).toMatch(/^the certificate expires in 4 day\(s\), on /);
  });

  it("is down when the certificate has expired", async () => {
    const result = await check(await tlsServer(-1));
    expect(result.outcome).toBe("down");
    expect(result.message).toMatch(/^the certificate expired on /);
  });

  it("is down on a chain it cannot verify unless the chain is not checked", async () => {
    const port = await tlsServer(90);
    const unknownCa = await check(port, {}, false);
    expect(unknownCa).toMatchObject({ outcome: "down" });
    expect(unknownCa.message).toContain(
      "the certificate does not verify: UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    );
    expect((await check(port, { checkChain: false }, false)).outcome).toBe("up");
    const key = await generateKey();
    const selfSigned = await listen(
      createTlsServer({ key: key.privateKey, cert: await createCa("self", key) }, (s) => s.end()),
    );
    const result = await check(selfSigned);
    expect(result).toMatchObject({ outcome: "down" });
    expect(result.message).toMatch(/^the certificate does not verify: /);
  });
});

describe("DNS probe", () => {
  let dns: DnsServer | null;
  beforeAll(async () => {
    dns = await startDns({
      zones: {
        "example.test": [
          "www IN A 192.0.2.10",
          "www IN A 192.0.2.11",
          "v6 IN AAAA 2001:db8::10",
          "alias IN CNAME www.example.test.",
          "@ IN MX 10 mail.example.test.",
          '@ IN TXT "v=spf1 -all"',
        ],
      },
    });
  }, 30_000);
  afterAll(() => dns?.stop());

  const check = (extra: Record<string, unknown>) =>
    probeDns(dnsMonitor.parse({ kind: "dns", resolver: dns?.resolver, ...extra }), 2000, {
      policy,
    });

  it("answers each record type, up when the expected value is among them", async () => {
    if (!dns) return;
    const both = await check({ name: "www.example.test" });
    expect(both.outcome).toBe("up");
    expect(both.message).toMatch(/^www\.example\.test A is 192\.0\.2\.1[01], 192\.0\.2\.1[01]$/);
    expect((await check({ name: "www.example.test", expected: "192.0.2.11" })).outcome).toBe("up");
    const wrong = await check({ name: "www.example.test", expected: "192.0.2.99" });
    expect(wrong.outcome).toBe("down");
    expect(wrong.message).toMatch(/, expected 192\.0\.2\.99$/);
    const expected = [
      ["v6.example.test", "AAAA", "2001:db8::10"],
      ["alias.example.test", "CNAME", "www.example.test."],
      ["example.test", "MX", "10 mail.example.test"],
      ["example.test", "TXT", "v=spf1 -all"],
    ];
    for (const [name, recordType, value] of expected)
      expect((await check({ name, recordType, expected: value })).outcome).toBe("up");
  });

  it("is down on a missing name, and refuses a loopback resolver under the production policy", async () => {
    if (!dns) return;
    const missing = await check({ name: "nope.example.test" });
    expect(missing).toMatchObject({ outcome: "down", message: "nope.example.test A: ENOTFOUND" });
    const strict = await probeDns(
      dnsMonitor.parse({ kind: "dns", name: "example.test", resolver: dns.resolver }),
      1000,
      { policy: DEFAULT_POLICY },
    );
    expect(strict.message).toBe(
      "resolver: 127.0.0.1 is a loopback address, which this panel does not allow",
    );
  });
});
