// `npm run bench:acme [-- --json] [--certificates N] [--concurrency C] [--certbot M]`: issue
// N (default 100) certificates against pebble (hermetic, testkit) with C (default 10) at a time,
// the way the certificate task does it: the node makes the key and CSR (cert.request), the
// http-01 answers are files its nginx serves (cert.challenge), the ACME order, the chain
// installed next to the key (cert.install). The agent's operations run in this process, so the
// CPU time measured is the panel's and the agent's together. Then M (default 20) certificates
// by Debian's certbot (`certonly --webroot`, one at a time: certbot locks its directories) on
// the same pebble and nginx. nginx's reload for the site's TLS block is bench:sites' measure,
// not repeated here. Needs root (a system user for the site). Progress on stderr; stdout
// carries the table, or with --json only {"results":[...]}.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import {
  certChallenge,
  certInstall,
  certRequest,
  deleteTestUsers,
  nodeConfig,
  runOperation,
  siteApply,
  testUser,
} from "@steward/agent/testing";
import type { OpResult } from "@steward/contracts/agent";
import { siteApplyInput } from "@steward/contracts/agent";
import { httpSolver, orderCertificate, trustAcmeCa } from "@steward/server/testing/acme";
import { freePort, startNginx, startPebble } from "@steward/testkit";
import acme from "acme-client";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    certificates: { type: "string", default: "100" },
    concurrency: { type: "string", default: "10" },
    certbot: { type: "string", default: "20" },
  },
});
const N = Number(values.certificates);
const C = Number(values.concurrency);
const M = Number(values.certbot);
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};

interface Result {
  system: "steward" | "certbot";
  certificates: number;
  totalSeconds: number;
  p50Ms: number;
  /** CPU seconds of this process (panel and agent) while steward issued */
  cpuSeconds?: number;
  concurrency: number;
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error("run as root: the bench creates a system user");
  const nginx = await startNginx({ listen: "127.0.0.2" });
  if (!nginx) throw new Error("nginx is missing (apt-get install nginx)");
  const pebble = await startPebble({
    httpPort: nginx.port,
    address: "127.0.0.2",
    env: { PEBBLE_WFE_NONCEREJECT: "0" },
  });
  if (!pebble) throw new Error("pebble is missing (apt-get install pebble)");
  const dir = mkdtempSync(join(tmpdir(), "steward-bench-acme-"));
  chmodSync(dir, 0o755); // nginx's workers (nobody) go through it to the sites
  const config = nodeConfig(nginx, null, dir, {
    nginx: { ...nodeConfig(nginx, null, dir).nginx, httpsPort: await freePort() },
  });
  const op = async (h: Parameters<typeof runOperation>[0], input: unknown) => {
    const r: OpResult = await runOperation(h, input, {
      config,
      requestId: `bench-${randomBytes(3).toString("hex")}`,
    });
    if (r.status !== "ok") throw new Error(`${h.name}: ${r.error?.message}`);
    return r.output as Record<string, unknown>;
  };
  const results: Result[] = [];
  try {
    // sites whose port-80 blocks answer the challenges for every name (100 names a site)
    const names = Array.from({ length: Math.max(N, M) }, (_, i) => `c${i}.acme.bench.test`);
    const user = testUser();
    for (let s = 0; s * 100 < names.length; s++) {
      const domains = names.slice(s * 100, s * 100 + 100);
      await op(siteApply, siteApplyInput.parse({ id: `acme-${s}`, kind: "static", domains, user }));
    }
    await trustAcmeCa(pebble.caFile);
    const client = new acme.Client({
      directoryUrl: pebble.directory,
      accountKey: await acme.crypto.createPrivateEcdsaKey(),
      backoffAttempts: 20,
      backoffMin: 250,
      backoffMax: 5_000,
    });
    await client.createAccount({ termsOfServiceAgreed: true });

    say(`steward: ${N} certificates, ${C} at a time`);
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < N; i = next++) {
        const id = `cert-${i}`;
        const name = names[i] ?? "";
        const start = performance.now();
        const { csr } = (await op(certRequest, {
          id,
          names: [name],
          keyType: "ecdsa-p256",
        })) as { csr: string };
        const chain = await orderCertificate(
          client,
          [name],
          csr,
          httpSolver(async (place, remove) => {
            await op(certChallenge, { id, place, remove });
          }),
          () => {},
        );
        await op(certInstall, { id, certificate: chain });
        times.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: C }, worker));
    const cpu = process.cpuUsage(cpu0);
    results.push({
      system: "steward",
      certificates: N,
      totalSeconds: (performance.now() - t0) / 1000,
      p50Ms: pct(times, 50),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      concurrency: C,
    });

    if (M > 0 && existsSync("/usr/bin/certbot")) {
      say(`certbot --webroot: ${M} certificates, one at a time`);
      const webroot = join(dir, "webroot");
      mkdirSync(join(webroot, ".well-known"), { recursive: true });
      mkdirSync(join(config.sitesRoot, ".steward", "acme-challenge"), { recursive: true });
      // certbot writes <webroot>/.well-known/acme-challenge/<token>: the directory nginx serves
      symlinkSync(
        join(config.sitesRoot, ".steward", "acme-challenge"),
        join(webroot, ".well-known", "acme-challenge"),
      );
      const cb = join(dir, "certbot");
      const bot: number[] = [];
      const b0 = performance.now();
      for (let i = 0; i < M; i++) {
        const start = performance.now();
        await run(
          "/usr/bin/certbot",
          [
            ...["certonly", "--non-interactive", "--agree-tos"],
            ...["--register-unsafely-without-email", "--server", pebble.directory],
            ...["--webroot", "-w", webroot, "-d", names[i] ?? ""],
            ...["--config-dir", join(cb, "config"), "--work-dir", join(cb, "work")],
            ...["--logs-dir", join(cb, "logs"), "--key-type", "ecdsa"],
          ],
          { env: { PATH: "/usr/bin:/bin", REQUESTS_CA_BUNDLE: pebble.caFile }, timeout: 120_000 },
        );
        bot.push(performance.now() - start);
      }
      results.push({
        system: "certbot",
        certificates: M,
        totalSeconds: (performance.now() - b0) / 1000,
        p50Ms: pct(bot, 50),
        concurrency: 1,
      });
    } else if (M > 0) say("certbot is not installed (apt-get install certbot): skipped");
  } finally {
    await pebble.stop();
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
    deleteTestUsers();
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else
    for (const r of results)
      process.stdout.write(
        `${r.system.padEnd(8)} ${String(r.certificates).padStart(4)} certificates  total ${r.totalSeconds.toFixed(1)} s  p50 ${r.p50Ms.toFixed(0)} ms  concurrency ${r.concurrency}${r.cpuSeconds === undefined ? "" : `  cpu ${r.cpuSeconds.toFixed(1)} s`}\n`,
      );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
