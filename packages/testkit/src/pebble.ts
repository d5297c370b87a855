// A hermetic ACME CA: Debian's pebble and pebble-challtestsrv on 127.0.0.1 and random ports.
// challtestsrv is pebble's DNS server: it answers every name with `address` (the loopback
// address the test nginx listens on) unless told otherwise (`setA`), and pebble validates
// http-01 challenges on `httpPort` (the test nginx's port). Pebble's own TLS certificate comes
// from a throwaway CA written to `caFile`, which the ACME client must trust. Started once per
// test file; everything lives in a temp directory.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./nginx.ts";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";
import { localCertificate, testCa } from "./tls.ts";

export interface PebbleOptions {
  /** the port pebble sends http-01 validation requests to (the test nginx's) */
  httpPort: number;
  /** the address every name resolves to (the test nginx's listen address); default 127.0.0.1 */
  address?: string;
  /**
   * the DNS server pebble resolves through ("127.0.0.1:port"), instead of challtestsrv: an
   * authoritative server under test (a PowerDNS whose zones hold every name, A, CAA and TXT)
   */
  dnsServer?: string;
  /** extra environment (PEBBLE_VA_ALWAYS_VALID, PEBBLE_WFE_NONCEREJECT...) */
  env?: Record<string, string>;
}

export interface PebbleServer {
  /** the ACME directory URL */
  directory: string;
  /** PEM file of the CA that signed pebble's HTTPS certificate (not the issuing CA) */
  caFile: string;
  dir: string;
  /** pebble's resolver: challtestsrv's DNS server (`127.0.0.1:port`) or `dnsServer` */
  dnsServer: string;
  /** makes `name` resolve to `address` (A record) in pebble's DNS */
  setA(name: string, address: string): Promise<void>;
  /** undoes setA: `name` resolves to the default address again */
  clearA(name: string): Promise<void>;
  /** TXT values of `name` in pebble's DNS (dns-01 answers); `[]` clears them */
  setTxt(name: string, values: readonly string[]): Promise<void>;
  /** a CAA record for `name` allowing only `issuer` (pebble checks CAA when present) */
  setCaa(name: string, issuer: string): Promise<void>;
  /** the PEM of pebble's issuing root (what a client verifying served chains trusts) */
  root(): Promise<string>;
  stop(): Promise<void>;
}

const bin = (name: string) => {
  const path = `/usr/bin/${name}`;
  return existsSync(path) ? path : null;
};

export async function startPebble(opts: PebbleOptions): Promise<PebbleServer | null> {
  const pebble = bin("pebble");
  const challtestsrv = bin("pebble-challtestsrv");
  if (!pebble || !challtestsrv) return missing("pebble", "apt-get install pebble");
  const dir = mkdtempSync(join(tmpdir(), "steward-pebble-"));
  chmodSync(dir, 0o755); // pebble runs as nobody when we are root
  const testCaPair = await testCa("steward test pebble ca");
  const ca = testCaPair.certificate;
  const server = await localCertificate(testCaPair, "pebble");
  const files = { ca: join(dir, "ca.pem"), cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
  writeFileSync(files.ca, ca);
  writeFileSync(files.cert, server.cert);
  writeFileSync(files.key, server.key, { mode: 0o644 });
  const [acmePort, mgmtPort, dnsPort, chalMgmt] = await Promise.all(
    [0, 1, 2, 3].map(() => freePort()),
  );
  const config = join(dir, "pebble.json");
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${mgmtPort}`,
        certificate: files.cert,
        privateKey: files.key,
        httpPort: opts.httpPort,
        tlsPort: await freePort(),
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
      },
    }),
  );
  const asUser = process.getuid?.() === 0 ? unprivilegedUser(["nobody"]) : null;
  const ids = asUser ? { uid: asUser.uid, gid: asUser.gid } : {};
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const start = (file: string, args: string[], env: Record<string, string> = {}) => {
    const child = spawn(file, args, {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      ...ids,
    });
    const keep = (d: Buffer) => {
      logs.push(d.toString());
      if (logs.length > 200) logs.shift();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    children.push(child);
    return child;
  };
  start(challtestsrv, [
    "-dns01",
    `127.0.0.1:${dnsPort}`,
    "-management",
    `127.0.0.1:${chalMgmt}`,
    "-http01",
    "",
    "-https01",
    "",
    "-tlsalpn01",
    "",
    "-defaultIPv4",
    opts.address ?? "127.0.0.1",
    "-defaultIPv6",
    "",
  ]);
  const resolver = opts.dnsServer ?? `127.0.0.1:${dnsPort}`;
  start(pebble, ["-config", config, "-dnsserver", resolver], {
    PEBBLE_VA_NOSLEEP: "1",
    ...opts.env,
  });
  const directory = `https://127.0.0.1:${acmePort}/dir`;
  const stop = async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await waitFor(
      () => children.every((c) => c.exitCode !== null || c.signalCode !== null),
      "pebble to exit",
    ).catch(() => {
      for (const c of children) c.kill("SIGKILL");
    });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => {
      if (children.some((c) => c.exitCode !== null)) throw new Error("pebble exited");
      return (await getTls(directory, ca)).status === 200;
    }, "pebble to answer");
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}: ${logs.join("").slice(-2000)}`);
  }
  const manage = async (path: string, body: unknown) => {
    const r = await fetch(`http://127.0.0.1:${chalMgmt}${path}`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    if (r.status !== 200) throw new Error(`challtestsrv ${path}: ${r.status} ${await r.text()}`);
  };
  return {
    directory,
    caFile: files.ca,
    dir,
    dnsServer: resolver,
    setA: (host, address) => manage("/add-a", { host: `${host}.`, addresses: [address] }),
    clearA: (host) => manage("/clear-a", { host: `${host}.` }),
    async setTxt(name, values) {
      await manage("/clear-txt", { host: `${name}.` });
      for (const value of values) await manage("/set-txt", { host: `${name}.`, value });
    },
    setCaa: (host, issuer) =>
      manage("/add-caa", {
        host: `${host}.`,
        policies: [{ tag: "issue", value: issuer }],
      }),
    async root() {
      const r = await getTls(`https://127.0.0.1:${mgmtPort}/roots/0`, ca);
      return r.body;
    },
    stop,
  };
}

function getTls(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`${url}: timed out`)));
    req.on("error", reject);
    req.end();
  });
}

async function waitUntil(ok: () => Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ok().catch((e: Error) => (e.message === "pebble exited" ? Promise.reject(e) : false)))
      return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
