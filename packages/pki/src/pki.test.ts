import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { certInfo, createCa, createCsr, generateKey, importKey, issue, readCsr } from "./index.ts";

describe("pki", () => {
  it("makes a CA, signs a node's request, and the certificate chains to the CA", async () => {
    const caKey = await generateKey();
    const ca = await createCa("Steward CA test", caKey);
    const nodeKey = await generateKey();
    const csr = await createCsr("node", nodeKey);
    const info = await readCsr(csr);
    const cert = await issue({
      caCertificate: ca,
      caKey: caKey.privateKey,
      commonName: "node_123",
      publicKey: info.publicKey,
      hosts: ["127.0.0.2", "localhost", "[::1]"],
      usage: "server-and-client",
    });
    const c = certInfo(cert);
    expect(c.commonName).toBe("node_123");
    expect(c.issuedBy(ca)).toBe(true);
    expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(c.notAfter.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    const x = new X509Certificate(cert);
    expect(x.subjectAltName).toContain("IP Address:127.0.0.2");
    expect(x.checkHost("localhost")).toBe("localhost");
    // a certificate from another CA does not chain
    const other = await createCa("Other CA", await generateKey());
    expect(c.issuedBy(other)).toBe(false);
    // keys round-trip through PEM
    const again = await importKey(nodeKey.privateKey);
    expect(again.privateKey.type).toBe("private");
  });

  it("refuses requests that are not, or whose signature does not verify", async () => {
    await expect(readCsr("not a csr")).rejects.toThrow(/PEM certificate request/);
    const csr = await createCsr("node", await generateKey());
    const tampered = csr.replace(/[A-Za-z](?=[^\n]*\n-----END)/, (ch) => (ch === "A" ? "B" : "A"));
    await expect(readCsr(tampered)).rejects.toThrow();
  });

  it("refuses unsafe names", async () => {
    await expect(createCsr("node,CN=evil", await generateKey())).rejects.toThrow(/unsafe/);
  });
});
