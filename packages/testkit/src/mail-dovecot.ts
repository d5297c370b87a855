// The Dovecot half of startMail(): its own base_dir, state_dir and instance name under the
// instance's temp dir (so several run side by side), users from a passwd-file, Maildirs
// owned by nobody, IMAP on a random 127.0.0.1 port, LMTP and SASL auth on unix sockets for
// Postfix. Runs in the foreground (-F) as our child; the master's pid file is the truth.
import { type ChildProcess, spawn } from "node:child_process";
import { chownSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { livePid, waitFor } from "./nginx.ts";

export interface DovecotPlan {
  dir: string;
  imapPort: number;
  /** the name in its LMTP Received headers; postmaster@ its domain part */
  hostname: string;
  users: { address: string; password: string }[];
  /** who owns the Maildirs (nobody) */
  mailOwner: { uid: number; gid: number };
  /**
   * Steward's passwd-file (hashed passwords, homes, quotas), read after the instance's own,
   * and the certificate STARTTLS serves
   */
  managed: {
    configDir: string;
    tls: { certFile: string; keyFile: string };
    /** Postfix's port 25: where Sieve's vacation replies are submitted */
    smtpPort: number;
  } | null;
  /** LMTP runs Steward's Junk rule (<managed.configDir>/spam.sieve) before the autoresponders */
  sieve: boolean;
}

export interface Dovecot {
  /** its dovecot.conf (doveconf -c, doveadm -c) */
  config: string;
  lmtpSocket: string;
  saslSocket: string;
  stop(): Promise<void>;
}

export async function startDovecot(bin: string, plan: DovecotPlan): Promise<Dovecot> {
  const root = join(plan.dir, "dovecot");
  const mail = join(plan.dir, "mail");
  mkdirSync(join(root, "run"), { recursive: true });
  mkdirSync(mail, { mode: 0o700 });
  chownSync(mail, plan.mailOwner.uid, plan.mailOwner.gid);
  const usersFile = join(root, "users");
  // passwd-file: user:password:uid:gid:gecos:home:shell:extra (plain passwords: a test server)
  writeFileSync(
    usersFile,
    plan.users.map((u) => `${u.address}:{PLAIN}${u.password}::::::\n`).join(""),
  );
  const baseDir = join(root, "run");
  const paths = { baseDir, mail, usersFile, ...plan.mailOwner };
  const logFile = join(plan.dir, "dovecot.log");
  const conf = join(root, "dovecot.conf");
  writeFileSync(conf, dovecotConf(plan, paths, logFile));
  // its own process group, so that stop() reaches every Dovecot process at once
  const child: ChildProcess = spawn(bin, ["-F", "-c", conf], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const pidFile = join(baseDir, "master.pid");
  await waitFor(() => livePid(pidFile) !== null || child.exitCode !== null, "dovecot to start");
  if (livePid(pidFile) === null) throw new Error(`dovecot exited: ${stderr}`);
  return {
    config: conf,
    lmtpSocket: join(baseDir, "lmtp"),
    saslSocket: join(baseDir, "auth-postfix"),
    async stop() {
      const exited = () => child.exitCode !== null || child.signalCode !== null;
      if (exited() || child.pid === undefined) return; // (never kill(0): our own group)
      // SIGTERM to the master alone takes 1-6 s: it stops its children and waits for them
      const group = -child.pid;
      process.kill(group, "SIGTERM");
      await waitFor(exited, "dovecot to exit").catch(() => process.kill(group, "SIGKILL"));
    },
  };
}

/**
 * Steward's passwd-file: its own hashes, uid, gid, home and quota per line; quotas enforced;
 * its deny list (`address/service`: receive-only mailboxes refused SMTP AUTH) before it; its
 * autoresponders' Sieve scripts run by LMTP before delivery, replies submitted to Postfix; its
 * certificates by SNI.
 */
function managed(plan: NonNullable<DovecotPlan["managed"]>, junk: boolean): string[] {
  const usersFile = join(plan.configDir, "users");
  return [
    "ssl = yes",
    `ssl_cert = <${plan.tls.certFile}`,
    `ssl_key = <${plan.tls.keyFile}`,
    `submission_host = 127.0.0.1:${plan.smtpPort}`,
    "passdb {",
    "  driver = passwd-file",
    "  deny = yes",
    `  args = username_format=%Lu/%s ${join(plan.configDir, "deny")}`,
    "}",
    "passdb {",
    "  driver = passwd-file",
    `  args = username_format=%Lu ${usersFile}`,
    "}",
    "userdb {",
    "  driver = passwd-file",
    `  args = username_format=%Lu ${usersFile}`,
    "}",
    "mail_plugins = $mail_plugins quota",
    "protocol imap {",
    "  mail_plugins = $mail_plugins imap_quota",
    "}",
    "protocol lmtp {",
    "  mail_plugins = $mail_plugins sieve",
    "}",
    "plugin {",
    "  quota = maildir:User quota",
    // Pigeonhole runs sieve_before, then sieve_before2: Steward's Junk rule (mail.apply writes
    // and compiles it), then the mailbox's autoresponder
    ...(junk
      ? [
          `  sieve_before = ${join(plan.configDir, "spam.sieve")}`,
          `  sieve_before2 = ${join(plan.configDir, "sieve")}/%Lu.sieve`,
        ]
      : [`  sieve_before = ${join(plan.configDir, "sieve")}/%Lu.sieve`]),
    "}",
    // Steward's certificates by SNI: local_name blocks
    `!include_try ${join(plan.configDir, "sni-dovecot.conf")}`,
  ];
}

type Paths = { baseDir: string; mail: string; usersFile: string; uid: number; gid: number };

function dovecotConf(plan: DovecotPlan, p: Paths, logFile: string): string {
  return `${[
    `base_dir = ${p.baseDir}`,
    `state_dir = ${join(p.baseDir, "..", "state")}`,
    `instance_name = ${basename(plan.dir)}`,
    `log_path = ${logFile}`,
    "protocols = imap lmtp",
    "listen = 127.0.0.1",
    "ssl = no",
    "disable_plaintext_auth = no",
    "auth_mechanisms = plain login",
    `hostname = ${plan.hostname}`,
    `postmaster_address = postmaster@${plan.hostname.replace(/^[^.]+\./, "")}`,
    "auth_failure_delay = 0",
    "mail_location = maildir:~/Maildir",
    "passdb {",
    "  driver = passwd-file",
    `  args = scheme=PLAIN username_format=%Lu ${p.usersFile}`,
    "}",
    "userdb {",
    "  driver = passwd-file",
    `  args = username_format=%Lu ${p.usersFile}`,
    `  default_fields = uid=${p.uid} gid=${p.gid} home=${p.mail}/%Ld/%Ln`,
    "}",
    ...(plan.managed ? managed(plan.managed, plan.sieve) : []),
    "service imap-login {",
    "  inet_listener imap {",
    "    address = 127.0.0.1",
    `    port = ${plan.imapPort}`,
    "  }",
    "  inet_listener imaps {",
    "    port = 0",
    "  }",
    "}",
    "service lmtp {",
    "  unix_listener lmtp {",
    "    mode = 0600",
    "    user = postfix",
    "  }",
    "}",
    // no auth penalty (failed logins slowing the next ones down by 2-15 s) on a test server
    "service anvil {",
    "  unix_listener anvil-auth-penalty {",
    "    mode = 0",
    "  }",
    "}",
    "service auth {",
    "  unix_listener auth-postfix {",
    "    mode = 0600",
    "    user = postfix",
    "  }",
    "}",
  ].join("\n")}\n`;
}
