// The node's half of certificates against a real nginx (testkit), as root: a key made on the
// node answers a CSR, http-01 answers are served on port 80 for served, redirecting and
// suspended sites, a signed chain is installed next to its key, the next apply serves HTTPS
// (HTTP redirects, a handshake serves the serial), and a renewal reloads and serves the new one.
import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { acmeToken, certRequestInput } from "@steward/contracts/agent";
import { BAD_DOMAIN_NAMES } from "@steward/contracts/testing";
import { createDomainRequest, issue, readCsr } from "@steward/pki";
import { freePort, startNginx } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { deleteTestUsers, nginxSection, testNode, testUser } from "../../testing/node.ts";
import { makeCa } from "../../testing/pki.ts";
import { certChallenge } from "./challenge.ts";
import { servedSerial } from "./handshake.ts";
import { certInstall } from "./install.ts";
import { certRequest } from "./request.ts";

const nginx = await startNginx({ listen: "127.0.0.2" });
const httpsPort = await freePort();
const node = nginx ? testNode(nginx, null, { nginx: { ...nginxSection(nginx), httpsPort } }) : null;
const ca = await makeCa("steward test acme ca");

afterAll(async () => {
  await nginx?.stop();
  node?.cleanup();
  deleteTestUsers();
});

/** What the ACME CA does with the node's CSR: a certificate for its key and names. */
async function sign(csr: string, names: string[]) {
  const { publicKey } = await readCsr(csr);
  return issue({
    caCertificate: ca.ca,
    caKey: ca.caKey,
    commonName: names[0] ?? "",
    publicKey,
    hosts: names,
    usage: "server-and-client",
  });
}

const TOKEN = "tok_0123456789abcdefghijABCDEFGHIJ";
const KEY_AUTH = `${TOKEN}.thumbprint_0123456789`;

describe.skipIf(!node)("certificates on the node", () => {
  if (!node) return;
  const get = (host: string, path = "/") => node.nginx.request(host, path);

  it("serves http-01 answers for served, redirecting and suspended sites, then removes them", async () => {
    const user = testUser();
    const site = { id: "acme1", domains: ["acme1.test"], aliases: ["old-acme1.test"], user };
    expect((await node.apply(site)).status).toBe("ok");
    const placed = await node.run(certChallenge, {
      id: "acme1",
      place: [{ token: TOKEN, keyAuthorization: KEY_AUTH }],
      remove: [],
    });
    expect(placed.error).toBeUndefined();
    expect(placed.status).toBe("ok");
    const path = `/.well-known/acme-challenge/${TOKEN}`;
    for (const name of ["acme1.test", "old-acme1.test"]) {
      const r = await get(name, path);
      expect(r.status, name).toBe(200);
      expect(r.body).toBe(KEY_AUTH);
    }
    expect((await get("old-acme1.test", "/x")).status).toBe(301);
    expect((await node.apply({ ...site, suspended: true })).status).toBe("ok");
    expect((await get("acme1.test", path)).body).toBe(KEY_AUTH);
    expect((await get("acme1.test", "/")).status).toBe(503);
    expect(
      (await node.run(certChallenge, { id: "acme1", place: [], remove: [TOKEN] })).status,
    ).toBe("ok");
    expect((await get("acme1.test", path)).status).toBe(404);
  });

  it("refuses tokens that are not base64url before anything is written", async () => {
    for (const token of [
      "../../etc/passwd-000000",
      "tok en_0123456789abcdef",
      "a/b_0123456789abcdef",
    ]) {
      const r = await node.run(certChallenge, {
        id: "acme1",
        place: [{ token, keyAuthorization: KEY_AUTH }],
        remove: [],
      });
      expect(r.status, token).toBe("failed");
      expect(r.error?.code).toBe("OP_INPUT_INVALID");
    }
  });

  it("makes the key on the node, installs the chain, serves HTTPS, and renews", async () => {
    const user = testUser();
    const names = ["tls1.test", "www.tls1.test"];
    const site = { id: "tls1", domains: ["tls1.test"], redirect: "to-non-www" as const, user };
    expect((await node.apply(site)).status).toBe("ok");
    const req = await node.run(certRequest, { id: "tls1", names, keyType: "ecdsa-p256" });
    expect(req.error).toBeUndefined();
    expect(req.status).toBe("ok");
    const csr = (req.output as { csr: string }).csr;
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(JSON.stringify(req)).not.toContain("PRIVATE KEY");
    const dir = join(node.config.tlsDir, "tls1");
    expect(statSync(join(dir, "next-key.pem")).mode & 0o777).toBe(0o600);

    const first = await node.run(certInstall, { id: "tls1", certificate: await sign(csr, names) });
    expect(first.error).toBeUndefined();
    expect(first.output).toMatchObject({ served: false });
    expect(existsSync(join(dir, "next-key.pem"))).toBe(false);
    expect(statSync(join(dir, "key.pem")).mode & 0o777).toBe(0o600);

    const applied = await node.apply(site);
    expect(applied.error).toBeUndefined();
    const serial = (first.output as { serial: string }).serial;
    expect(applied.output).toMatchObject({ tlsSerial: serial });
    expect(await servedSerial(node.config, "tls1.test")).toBe(serial);
    const http = await get("tls1.test", "/page?q=1");
    expect(http.status).toBe(301);
    expect(http.headers.location).toBe(`https://tls1.test:${httpsPort}/page?q=1`);
    expect((await get("tls1.test", "/.well-known/acme-challenge/none")).status).toBe(404);
    const conf = readFileSync(join(node.nginx.sitesDir, "steward-site-tls1.conf"), "utf8");
    expect(conf).toContain("ssl http2;");
    expect(conf).toContain("ssl_protocols TLSv1.2 TLSv1.3;");
    expect(conf).not.toMatch(/ssl_stapling|Strict-Transport-Security/);

    // renewal: a new key and certificate; install reloads and the handshake proves it
    const again = await node.run(certRequest, { id: "tls1", names, keyType: "ecdsa-p256" });
    const renewed = await node.run(certInstall, {
      id: "tls1",
      certificate: await sign((again.output as { csr: string }).csr, names),
    });
    expect(renewed.error).toBeUndefined();
    const next = renewed.output as { serial: string; served: boolean };
    expect(next.served).toBe(true);
    expect(next.serial).not.toBe(serial);
    expect(await servedSerial(node.config, "tls1.test")).toBe(next.serial);
    expect(await servedSerial(node.config, "www.tls1.test")).toBe(next.serial);

    const hsts = await node.apply({ ...site, hsts: true });
    expect(hsts.status).toBe("ok");
    expect(readFileSync(join(node.nginx.sitesDir, "steward-site-tls1.conf"), "utf8")).toContain(
      "Strict-Transport-Security",
    );
  });

  it("refuses a chain for another key and keeps the installed one", async () => {
    const names = ["tls1.test"];
    const dir = join(node.config.tlsDir, "tls1");
    const before = readFileSync(join(dir, "fullchain.pem"), "utf8");
    await node.run(certRequest, { id: "tls1", names, keyType: "ecdsa-p256" });
    const other = await node.run(certRequest, { id: "other1", names, keyType: "ecdsa-p256" });
    const r = await node.run(certInstall, {
      id: "tls1",
      certificate: await sign((other.output as { csr: string }).csr, names),
    });
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("KEY_MISMATCH");
    expect(readFileSync(join(dir, "fullchain.pem"), "utf8")).toBe(before);
  });

  it("takes the key and certificate away with the site; HTTPS no longer serves it", async () => {
    const dir = join(node.config.tlsDir, "tls1");
    const user = readFileSync(join(node.nginx.sitesDir, "steward-site-tls1.conf"), "utf8");
    expect(user).toContain("ssl_certificate");
    const owner = statSync(join(node.config.sitesRoot, "tls1")).uid;
    const name = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.split(":")[2] === String(owner))
      ?.split(":")[0];
    const r = await node.remove({ id: "tls1", user: name ?? "", keepFiles: true });
    expect(r.error).toBeUndefined();
    expect(existsSync(dir)).toBe(false);
    await expect(servedSerial(node.config, "tls1.test")).rejects.toThrow();
  });

  it("makes keys for several sites at once in a fresh directory (they share its parents)", async () => {
    const config = { ...node.config, tlsDir: join(node.dir, "tls-fresh", "nested") };
    const results = await Promise.all(
      ["p1", "p2", "p3", "p4", "p5"].map((id) =>
        node.run(certRequest, { id, names: [`${id}.test`], keyType: "ecdsa-p256" }, config),
      ),
    );
    expect(results.map((r) => r.error?.message ?? r.status)).toEqual(Array(5).fill("ok"));
    expect(statSync(config.tlsDir).mode & 0o777).toBe(0o700);
  });

  it("makes an RSA key when asked", async () => {
    const r = await node.run(certRequest, {
      id: "rsa1",
      names: ["rsa1.test"],
      keyType: "rsa-2048",
    });
    expect(r.status).toBe("ok");
    const key = readFileSync(join(node.config.tlsDir, "rsa1", "next-key.pem"), "utf8");
    expect(createPrivateKey(key).asymmetricKeyType).toBe("rsa");
  });
});

describe("hostile certificate input", () => {
  it("refuses hostile names in the contract (both sides) and again where the CSR is made", async () => {
    // a wildcard is a certificate name (dns-01 validates it), not a site's domain
    const wildcard = "*.example.com";
    for (const name of BAD_DOMAIN_NAMES.filter((n) => n !== wildcard)) {
      const r = certRequestInput.safeParse({ id: "site1", names: [name] });
      expect(r.success, JSON.stringify(name)).toBe(false);
      expect(r.error?.issues[0]?.path.join(".")).toBe("names.0");
      if (/^[\x20-\x7e]*$/.test(name) && !/^[a-z0-9.-]{1,253}$/.test(name))
        await expect(createDomainRequest([name], "ecdsa-p256")).rejects.toThrow(/DNS names/);
    }
    expect(certRequestInput.parse({ id: "s1", names: [wildcard] }).names).toEqual([wildcard]);
    for (const name of ["*.*.example.com", "*example.com", "a.*.example.com", "*.", "*.-x.com"])
      expect(certRequestInput.safeParse({ id: "s1", names: [name] }).success, name).toBe(false);
    expect(
      certRequestInput.safeParse({ id: "s1", names: ["a.example.com", "a.example.com"] }).success,
    ).toBe(false);
    for (const token of [
      "../../etc/passwd-0000000000",
      "short",
      "a".repeat(129),
      "tok/en_00000000000000",
    ])
      expect(acmeToken.safeParse(token).success, token).toBe(false);
  });
});
