// The OpenDKIM half of startMail({ managed: true, dkim: true }): Debian's opendkim as a milter
// of the hermetic Postfix (inet on a random 127.0.0.1 port), its opendkim.conf naming
// Steward's KeyTable, SigningTable and TrustedHosts under the managed config dir (empty at
// start), run as the opendkim user in the foreground; and a verifier (mailauth's) whose key
// lookups go to a test DNS server (PowerDNS or BIND) on its random port, so a signature is
// checked against the key a real zone publishes. (`opendkim -t` in verify mode cannot be
// pointed at a server on another port here: its resolver sends nothing.)
import { spawn } from "node:child_process";
import { Resolver } from "node:dns/promises";
import { chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { livePid, waitFor } from "./nginx.ts";
import { unprivilegedUser } from "./system.ts";

export const OPENDKIM_BIN = process.env.STEWARD_OPENDKIM_BIN ?? "/usr/sbin/opendkim";

export interface OpenDkim {
  /** Postfix's smtpd_milters value */
  milter: string;
  config: string;
  pidFile: string;
  user: string;
  stop(): Promise<void>;
}

/** The opendkim user (Debian's package makes it), or null when it is not installed. */
export const openDkimUser = () =>
  existsSync(OPENDKIM_BIN) ? unprivilegedUser(["opendkim"]) : null;

export async function startOpenDkim(plan: {
  dir: string;
  configDir: string;
  port: number;
}): Promise<OpenDkim> {
  const owner = unprivilegedUser(["opendkim"]);
  if (!owner) throw new Error("there is no opendkim user (apt-get install opendkim)");
  const dkim = join(plan.configDir, "dkim");
  mkdirSync(join(dkim, "keys"), { recursive: true, mode: 0o700 });
  chownSync(join(dkim, "keys"), owner.uid, owner.gid);
  for (const name of ["KeyTable", "SigningTable"]) writeFileSync(join(dkim, name), "");
  writeFileSync(join(dkim, "TrustedHosts"), "127.0.0.1\n::1\n");
  const config = join(plan.dir, "opendkim.conf");
  const pidFile = join(plan.dir, "opendkim.pid");
  writeFileSync(
    config,
    [
      "Mode sv",
      "Syslog no",
      "UserID opendkim",
      `PidFile ${pidFile}`,
      `Socket inet:${plan.port}@127.0.0.1`,
      "Canonicalization relaxed/simple",
      // its safe-key check refuses a key under a world-writable ancestor, and every test dir
      // is under /tmp (1777); a node's keys are under /etc/steward/mail/dkim (checked there)
      "RequireSafeKeys no",
      `KeyTable ${join(dkim, "KeyTable")}`,
      `SigningTable ${join(dkim, "SigningTable")}`,
      `InternalHosts ${join(dkim, "TrustedHosts")}`,
      `ExternalIgnoreList ${join(dkim, "TrustedHosts")}`,
      "",
    ].join("\n"),
  );
  const child = spawn(OPENDKIM_BIN, ["-f", "-x", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (c: Buffer) => {
    log = (log + c.toString()).slice(-4000);
  });
  await waitFor(
    () => child.exitCode === null && livePid(pidFile) !== null,
    `opendkim to start (${log})`,
  ).catch((err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return {
    milter: `inet:127.0.0.1:${plan.port}`,
    config,
    pidFile,
    user: "opendkim",
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface DkimVerdict {
  ok: boolean;
  /** the verifier's words per signature: `pass s=… d=…`, or why it failed */
  output: string;
}

/**
 * Verifies a message's DKIM signatures with mailauth's verifier (a library of its own, not
 * Steward's code), the signer's key looked up over DNS at `resolver` ("127.0.0.1:port" of a
 * test DNS server: PowerDNS or BIND serving the zone). ok: every signature passes, and there
 * is one at least.
 */
export async function verifyDkim(message: string, resolver: string): Promise<DkimVerdict> {
  const { dkimVerify } = await import("mailauth/lib/dkim/verify.js"); // loaded when used
  const dns = new Resolver({ timeout: 2000, tries: 2 });
  dns.setServers([resolver]);
  const result = await dkimVerify(message.replace(/\r?\n/g, "\r\n"), {
    resolver: async (name: string, type: string) => {
      if (type !== "TXT")
        throw Object.assign(new Error(`no ${type} lookups here`), { code: "ENOTFOUND" });
      return dns.resolveTxt(name);
    },
  });
  const lines = result.results.map(
    (r) =>
      `${r.status.result} s=${r.selector} d=${r.signingDomain}${r.status.comment ? ` (${r.status.comment})` : ""}`,
  );
  return {
    ok: result.results.length > 0 && result.results.every((r) => r.status.result === "pass"),
    output: lines.join("\n") || "no DKIM-Signature",
  };
}
