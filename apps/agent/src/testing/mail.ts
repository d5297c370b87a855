// agent.json's `mail` for a node whose Postfix and Dovecot are a hermetic testkit instance
// started with `managed: true`.
import type { MailServer } from "@steward/testkit";

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
