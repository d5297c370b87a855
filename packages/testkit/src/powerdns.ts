// A hermetic authoritative PowerDNS (Debian's pdns-server with the gsqlite3 backend): its own
// config dir and SQLite database (the package's schema) in a temp dir, DNS on 127.0.0.1 and a
// random port (UDP and TCP), the HTTP API with a random key on another, no guardian, no
// daemon. As root it runs as nobody. `pdnsutil --config-dir=DIR` works against it.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { serverProcess } from "./dns.ts";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

export interface PowerDns {
  address: string;
  port: number;
  /** "127.0.0.1:port" */
  resolver: string;
  /** http://127.0.0.1:port: the API is at /api/v1 */
  apiUrl: string;
  apiKey: string;
  /** the directory holding pdns.conf, for pdnsutil --config-dir */
  configDir: string;
  pdnsutil: string;
  stop(): Promise<void>;
}

const SCHEMA = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql";

export function pdnsBin(): string | null {
  const bin = process.env.STEWARD_PDNS_BIN ?? "/usr/sbin/pdns_server";
  return existsSync(bin) && existsSync(SCHEMA) ? bin : null;
}

export async function startPowerDns(): Promise<PowerDns | null> {
  const bin = pdnsBin();
  if (!bin) return missing("PowerDNS", "apt-get install pdns-server pdns-backend-sqlite3");
  const [port, webPort] = [await freePort(), await freePort()];
  const address = "127.0.0.1";
  const dir = mkdtempSync(join(tmpdir(), "steward-pdns-"));
  const database = join(dir, "pdns.sqlite3");
  const db = new DatabaseSync(database);
  db.exec(readFileSync(SCHEMA, "utf8"));
  db.close();
  const apiKey = randomBytes(18).toString("hex");
  const user = process.getuid?.() === 0 ? unprivilegedUser(["nobody"]) : null;
  writeFileSync(
    join(dir, "pdns.conf"),
    [
      "launch=gsqlite3",
      `gsqlite3-database=${database}`,
      "gsqlite3-dnssec=yes",
      // a secondary of other servers (AXFR from them, their NOTIFYs accepted)
      "secondary=yes",
      "guardian=no",
      "daemon=no",
      `socket-dir=${dir}`,
      `local-address=${address}`,
      `local-port=${port}`,
      "api=yes",
      `api-key=${apiKey}`,
      "webserver=yes",
      `webserver-address=${address}`,
      `webserver-port=${webPort}`,
      "webserver-allow-from=127.0.0.0/8",
      "loglevel=4",
      ...(user ? [`setuid=${user.name}`, `setgid=${user.gid}`] : []),
      "",
    ].join("\n"),
  );
  chmodSync(dir, 0o755);
  if (user) for (const path of [dir, database]) chownSync(path, user.uid, user.gid);
  const { child, log, stop } = serverProcess(bin, [`--config-dir=${dir}`], dir);
  const apiUrl = `http://${address}:${webPort}`;
  try {
    await ready(apiUrl, apiKey, child);
  } catch (error) {
    await stop();
    throw new Error(`pdns_server did not start: ${(error as Error).message}\n${log()}`);
  }
  return {
    address,
    port,
    resolver: `${address}:${port}`,
    apiUrl,
    apiKey,
    configDir: dir,
    pdnsutil: "/usr/bin/pdnsutil",
    stop,
  };
}

/** Waits until the API answers (up to 10 s); the DNS listener is up before it. */
async function ready(apiUrl: string, apiKey: string, child: ChildProcess) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`it exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${apiUrl}/api/v1/servers/localhost`, {
        headers: { "X-API-Key": apiKey },
      });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no answer within 10 s");
}
