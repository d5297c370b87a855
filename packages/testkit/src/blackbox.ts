// Prometheus's blackbox exporter (Debian's prometheus-blackbox-exporter) on 127.0.0.1 and a
// random port, with one HTTP module: what bench:monitors measures Steward's monitors against.
// A probe is `GET /probe?module=http_2xx&target=<url>`; the answer is Prometheus text with
// `probe_success`. Its config lives in a temp directory, removed by stop().
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { missing } from "./system.ts";

export interface BlackboxOptions {
  /** each probe's deadline (seconds); default 10, Steward's default monitor timeout */
  timeoutSeconds?: number;
}

export interface BlackboxExporter {
  url: string;
  /** the exporter's process id (its CPU and memory, read from /proc) */
  pid: number;
  /** the probe URL of a target with the module `http_2xx` */
  probeUrl(target: string): string;
  stop(): Promise<void>;
}

const BIN = "/usr/bin/prometheus-blackbox-exporter";

export async function startBlackbox(opts: BlackboxOptions = {}): Promise<BlackboxExporter | null> {
  const bin = process.env.STEWARD_BLACKBOX_BIN ?? BIN;
  if (!existsSync(bin))
    return missing("the blackbox exporter", "apt-get install prometheus-blackbox-exporter");
  const dir = mkdtempSync(join(tmpdir(), "steward-blackbox-"));
  const config = join(dir, "blackbox.yml");
  const timeout = opts.timeoutSeconds ?? 10;
  writeFileSync(
    config,
    [
      "modules:",
      "  http_2xx:",
      "    prober: http",
      `    timeout: ${timeout}s`,
      "    http:",
      "      preferred_ip_protocol: ip4",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    bin,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`${url}/-/healthy`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the blackbox exporter did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid as number,
    probeUrl: (target) => `${url}/probe?module=http_2xx&target=${encodeURIComponent(target)}`,
    stop,
  };
}
