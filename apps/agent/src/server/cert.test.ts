// Certificate rotation: csr -> the panel's CA signs -> install -> the next connection sees it.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { certInfo, issue, readCsr } from "@steward/pki";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../testing/agent.ts";
import { issueIdentity, makeCa } from "../testing/pki.ts";

let t: TestAgent;
beforeAll(async () => {
  t = await startTestAgent();
});
afterAll(() => t?.stop());

const sign = async (csr: string, ca: { ca: string; caKey: string } = t.pki) =>
  issue({
    caCertificate: ca.ca,
    caKey: ca.caKey,
    commonName: "node_test1",
    publicKey: (await readCsr(csr)).publicKey,
    hosts: ["127.0.0.1"],
    usage: "server-and-client",
  });

describe("certificate rotation", () => {
  it("refuses to install without a pending request", async () => {
    const r = await t.call("/v1/cert/install", { body: { certificate: t.pki.agent.cert } });
    expect(r.status).toBe(409);
  });

  it("installs a certificate for the pending key and presents it on the next connection", async () => {
    const before = (await t.call("/v1/health")).serverCertFingerprint;
    expect(before).toBe(certInfo(t.pki.agent.cert).fingerprint);
    const csr = await t.call("/v1/cert/csr", { method: "POST", body: {} });
    expect(csr.status).toBe(200);
    const { csr: pem } = csr.json() as { csr: string };

    // refusals: another key's certificate, another CA's certificate, garbage
    const otherKey = await issueIdentity(t.pki, "node_test1", "server-and-client");
    const wrongKey = await t.call("/v1/cert/install", { body: { certificate: otherKey.cert } });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.json()).toMatchObject({ error: { code: "KEY_MISMATCH" } });
    const foreign = await t.call("/v1/cert/install", {
      body: { certificate: await sign(pem, await makeCa("Other CA")) },
    });
    expect(foreign.json()).toMatchObject({ error: { code: "NOT_FROM_CA" } });
    const junk = await t.call("/v1/cert/install", { body: { certificate: "nope" } });
    expect(junk.status).toBe(400);

    const cert = await sign(pem);
    const r = await t.call("/v1/cert/install", { body: { certificate: cert } });
    expect(r.status).toBe(200);
    const fingerprint = certInfo(cert).fingerprint;
    expect(r.json()).toMatchObject({ fingerprint });
    expect((await t.call("/v1/health")).serverCertFingerprint).toBe(fingerprint);
    expect(await readFile(join(t.dir, "agent.crt"), "utf8")).toBe(cert);
    expect((await stat(join(t.dir, "agent.key"))).mode & 0o777).toBe(0o600);
    // the pending key was used up
    const again = await t.call("/v1/cert/install", { body: { certificate: cert } });
    expect(again.status).toBe(409);
  });
});
