// agent.json's `mail` for a node whose Postfix and Dovecot are a hermetic testkit instance
// started with `managed: true`.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { MailServer, Rspamd } from "@steward/testkit";

export function mailSection(m: MailServer) {
  const managed = m.managed;
  if (!managed) throw new Error("start the mail server with managed: true");
  return {
    enabled: true,
    configDir: managed.configDir,
    mailRoot: managed.mailRoot,
    uid: managed.uid,
    gid: managed.gid,
    postfix: {
      bin: "/usr/sbin/postfix",
      postconf: "/usr/sbin/postconf",
      configDir: managed.postfixConfigDir,
    },
    dovecot: {
      doveconf: "/usr/bin/doveconf",
      doveadm: "/usr/bin/doveadm",
      config: managed.dovecotConfig,
      authUser: "dovecot",
    },
    smtp: { host: "127.0.0.1", port: m.ports.smtp },
    ...(managed.opendkim && {
      opendkim: { bin: "/usr/sbin/opendkim", ...managed.opendkim },
    }),
  };
}

/** agent.json's `mail.rspamd` for a testkit rspamd (startRspamd). */
export function rspamdSection(r: Rspamd) {
  return {
    settingsFile: join(r.localDir, "local.d", "settings.conf"),
    rspamadm: "/usr/bin/rspamadm",
    config: r.config,
    vars: r.vars.filter((v) => v !== "--var"),
    pidFile: r.pidFile,
    scan: { host: "127.0.0.1", port: r.ports.normal },
    sievec: "/usr/bin/sievec",
  };
}

/**
 * The serial (hex) of the certificate a mail server serves after STARTTLS on a port (`smtps`:
 * implicit TLS, port 465's), to a client naming `servername` (SNI) or, without one, naming
 * none; `openssl s_client`, so the handshake is not the agent's own.
 */
export function starttlsServed(
  proto: "smtp" | "imap" | "smtps",
  port: number,
  servername?: string,
) {
  const args = [
    ...["s_client", "-connect", `127.0.0.1:${port}`],
    ...(proto === "smtps" ? [] : ["-starttls", proto]),
    ...(servername ? ["-servername", servername] : ["-noservername"]),
  ];
  // bounded: a greeting that does not come (a daemon restarting on a loaded machine) must fail
  // this call, not hold the test file's process (execFileSync blocks it) past every timeout
  let hello = "";
  for (let attempt = 1; ; attempt++) {
    try {
      hello = execFileSync("openssl", args, {
        input: "",
        encoding: "utf8",
        stdio: ["pipe", "pipe", "ignore"],
        timeout: 15_000,
      });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  return execFileSync("openssl", ["x509", "-noout", "-serial"], { input: hello, encoding: "utf8" })
    .trim()
    .replace("serial=", "");
}
