// The Postfix half of startMail(): its own config, queue and data directories under the
// instance's temp dir, three SMTP listeners on random 127.0.0.1 ports, local domains handed
// to Dovecot over LMTP, everything else refused (the error transport: nothing leaves).
// Started by its master daemon directly (`master -c DIR -w`: returns once the daemon has
// initialized), not `postfix start`, whose script spends 2-5 s here on `post-install
// create-missing`, integrity checks and several postconf runs; so the queue directories are
// made here as postfix-files lays them out. Root only, like the postfix command.
import { spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { livePid, waitFor } from "./nginx.ts";

export interface PostfixPlan {
  dir: string;
  hostname: string;
  domains: string[];
  mailboxes: string[];
  ports: { smtp: number; submission: number; smtps: number };
  /** Dovecot's LMTP socket and SASL socket for Postfix */
  lmtpSocket: string;
  saslSocket: string;
  tls: { certFile: string; keyFile: string };
  /** Postfix's mail_owner, the postfix user: owns the queue and data directories */
  mailOwner: { uid: number; gid: number };
  /** Steward's maps (and its SNI map), read besides the instance's own */
  managed: { configDir: string } | null;
  /** a milter (OpenDKIM) for mail taken over SMTP and from the local pickup, or null */
  milter?: string | null;
  /** a milter (rspamd's proxy) on 127.0.0.1 for what smtpd receives */
  milterPort: number | null;
}

export interface Postfix {
  logFile: string;
  stop(): Promise<void>;
}

/** `bin`: Postfix's master daemon (in Debian's daemon_directory). */
export async function startPostfix(bin: string, plan: PostfixPlan): Promise<Postfix> {
  const { uid, gid } = plan.mailOwner;
  const configDir = join(plan.dir, "postfix");
  const queue = join(plan.dir, "queue");
  const data = join(plan.dir, "data");
  const logFile = join(plan.dir, "maillog");
  makeQueue(queue, uid, groupId("postdrop") ?? gid);
  mkdirSync(data, { mode: 0o700 });
  chownSync(data, uid, gid);
  mkdirSync(configDir);
  const files = {
    "main.cf": mainCf(plan, { queue, data, logFile }),
    "master.cf": masterCf(plan),
    mailboxes: plan.mailboxes.map((m) => `${m} ok\n`).join(""),
  };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(configDir, name), text);
    // Postfix waits (in 300 ms steps) until a file it loads is over a second old, lest it
    // read one half-written: these are complete, so they are dated a minute back
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(configDir, name), past, past);
  }
  const pidFile = join(queue, "pid", "master.pid");
  // -w: this foreground process exits 0 once the daemon has initialized, non-zero if it failed
  const starter = spawn(bin, ["-c", configDir, "-w"], { stdio: "ignore" });
  const code = await new Promise<number | null>((resolve, reject) => {
    starter.once("error", reject);
    starter.once("exit", resolve);
  });
  if (code !== 0) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
    // a failure before its log daemon ran logs nothing: most likely a port taken meanwhile
    const ports = Object.values(plan.ports).join(", ");
    throw new Error(`postfix's master exited with ${code} (ports ${ports}): ${log || "no log"}`);
  }
  return {
    logFile,
    async stop() {
      const pid = livePid(pidFile);
      if (pid === null) return;
      process.kill(pid, "SIGTERM"); // the master takes its children down with it
      await waitFor(() => livePid(pidFile) === null, "postfix to exit").catch(() =>
        process.kill(pid, "SIGKILL"),
      );
    },
  };
}

/** The queue as postfix-files lays it out (owner postfix, maildrop and public for postdrop). */
function makeQueue(queue: string, uid: number, setgid: number) {
  mkdirSync(queue, { mode: 0o755 });
  mkdirSync(join(queue, "pid"), { mode: 0o755 });
  const own = ["active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming"];
  for (const [name, mode, gid] of [
    ...[...own, "private", "saved", "trace"].map((n) => [n, 0o700, 0] as const),
    ["maildrop", 0o730, setgid] as const,
    ["public", 0o710, setgid] as const,
  ]) {
    mkdirSync(join(queue, name), { mode });
    chownSync(join(queue, name), uid, gid);
  }
}

function mainCf(plan: PostfixPlan, paths: { queue: string; data: string; logFile: string }) {
  const refuse = "error:5.7.1 nothing leaves this test mail server";
  const steward = (name: string) =>
    plan.managed ? [`texthash:${join(plan.managed.configDir, name)}`] : [];
  return `${[
    "compatibility_level = 3.6",
    `queue_directory = ${paths.queue}`,
    `data_directory = ${paths.data}`,
    `maillog_file = ${paths.logFile}`,
    `maillog_file_prefixes = ${plan.dir}`,
    `myhostname = ${plan.hostname}`,
    "mydestination =",
    "inet_interfaces = loopback-only",
    "inet_protocols = ipv4",
    "alias_maps =",
    "alias_database =",
    `default_transport = ${refuse}`,
    `relay_transport = ${refuse}`,
    `local_transport = ${refuse}`,
    `virtual_mailbox_domains = ${[...plan.domains, ...steward("domains")].join(", ")}`,
    `virtual_mailbox_maps = ${[`texthash:${join(plan.dir, "postfix", "mailboxes")}`, ...steward("mailboxes")].join(", ")}`,
    `virtual_alias_maps = ${steward("aliases").join(", ")}`,
    `virtual_transport = lmtp:unix:${plan.lmtpSocket}`,
    "smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination",
    // Steward's access map: send-only mailboxes a catch-all would take, refused at RCPT
    ...(plan.managed
      ? [`smtpd_recipient_restrictions = check_recipient_access ${steward("refuse").join("")}`]
      : []),
    "smtpd_sasl_auth_enable = yes",
    "smtpd_sasl_type = dovecot",
    `smtpd_sasl_path = ${plan.saslSocket}`,
    "smtpd_tls_security_level = may",
    "smtpd_tls_auth_only = no",
    "smtpd_tls_received_header = yes",
    `smtpd_tls_cert_file = ${plan.tls.certFile}`,
    `smtpd_tls_key_file = ${plan.tls.keyFile}`,
    // Steward's certificates by SNI: name -> a file holding the key, then the chain
    ...(plan.managed ? [`tls_server_sni_maps = ${steward("sni").join(", ")}`] : []),
    ...milters(plan),
  ].join("\n")}\n`;
}

/** The milters: rspamd's proxy (what smtpd receives) first, then OpenDKIM (which signs what
 *  is submitted and what the local pickup takes too). */
function milters(plan: PostfixPlan): string[] {
  const rspamd = plan.milterPort ? `inet:127.0.0.1:${plan.milterPort}` : null;
  const smtpd = [rspamd, plan.milter ?? null].filter((m): m is string => m !== null);
  if (smtpd.length === 0) return [];
  return [
    `smtpd_milters = ${smtpd.join(", ")}`,
    ...(plan.milter ? [`non_smtpd_milters = ${plan.milter}`] : []),
    `milter_default_action = ${rspamd ? "tempfail" : "accept"}`,
  ];
}

/** Listeners like a real server's 25, 587 and 465; every service runs unchrooted. */
function masterCf(plan: PostfixPlan) {
  const authOnly = "-o smtpd_client_restrictions=permit_sasl_authenticated,reject";
  const listeners = [
    `127.0.0.1:${plan.ports.smtp} inet n - n - - smtpd`,
    `127.0.0.1:${plan.ports.submission} inet n - n - - smtpd -o smtpd_tls_security_level=encrypt ${authOnly}`,
    `127.0.0.1:${plan.ports.smtps} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes ${authOnly}`,
  ];
  const services = [
    "pickup unix n - n 60 1 pickup",
    "cleanup unix n - n - 0 cleanup",
    "qmgr unix n - n 300 1 qmgr",
    "tlsmgr unix - - n 1000? 1 tlsmgr",
    "rewrite unix - - n - - trivial-rewrite",
    "bounce unix - - n - 0 bounce",
    "defer unix - - n - 0 bounce",
    "trace unix - - n - 0 bounce",
    "verify unix - - n - 1 verify",
    "flush unix n - n 1000? 0 flush",
    "proxymap unix - - n - - proxymap",
    "showq unix n - n - - showq",
    "error unix - - n - - error",
    "retry unix - - n - - error",
    "discard unix - - n - - discard",
    "lmtp unix - - n - - lmtp",
    "anvil unix - - n - 1 anvil",
    "scache unix - - n - 1 scache",
    "postlog unix-dgram n - n - 1 postlogd",
  ];
  return `${[...listeners, ...services].join("\n")}\n`;
}

function groupId(name: string): number | null {
  const line = readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const gid = line?.split(":")[2];
  return gid ? Number(gid) : null;
}
