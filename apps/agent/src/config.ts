// The agent's configuration (agent.json in its directory). Every binary, path and service
// command it uses is here, with Debian/Ubuntu defaults, so tests point it at hermetic
// instances and real servers use the distribution's. agent.json holds only what differs
// from the defaults (enrollment writes the identity and the listen address), so a newer
// agent's better defaults apply to existing nodes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { idPattern, systemUserPattern } from "@steward/contracts/validators";
import { z } from "zod";
import { panelPin } from "./panel-fetch.ts";

export const DEFAULT_DIR = "/var/lib/steward-agent";
export const CONFIG_FILE = "agent.json";

const absPath = z.string().min(1).max(4096).refine(isAbsolute, "must be an absolute path");
const fileName = z.string().min(1).max(4096);
const portIn = (min: number) =>
  z
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(min, `must be between ${min} and 65535`)
    .max(65535, `must be between ${min} and 65535`);
const port = portIn(1);

const nginx = z.strictObject({
  bin: absPath.default("/usr/sbin/nginx"),
  /** -c: the main configuration file (hermetic instances); the binary's default if unset */
  confFile: absPath.optional(),
  /** -p: the prefix path (hermetic instances) */
  prefix: absPath.optional(),
  /** where site files go: steward-site-<id>.conf */
  sitesDir: absPath.default("/etc/nginx/conf.d"),
  httpPort: port.default(80),
  /** where sites with a certificate serve HTTPS */
  httpsPort: port.default(443),
  /** the address sites listen on (all addresses when unset) */
  listenAddress: z.string().max(100).optional(),
  pidFile: absPath.default("/run/nginx.pid"),
  unit: z.string().min(1).max(100).default("nginx"),
  /** the workers' user and group: site homes and PHP-FPM sockets are made readable by them */
  user: z.string().regex(systemUserPattern, "must be a user name").default("www-data"),
  group: z.string().regex(systemUserPattern, "must be a group name").default("www-data"),
});

const phpFpmRaw = z.strictObject({
  version: z
    .string()
    .regex(/^\d+\.\d+$/, "must be a PHP version like 8.2")
    .optional(),
  bin: absPath.optional(),
  confFile: absPath.optional(),
  prefix: absPath.optional(),
  poolDir: absPath.optional(),
  socketDir: absPath.default("/run/php"),
  pidFile: absPath.optional(),
  unit: z.string().min(1).max(100).optional(),
});

const users = z.strictObject({
  useradd: absPath.default("/usr/sbin/useradd"),
  userdel: absPath.default("/usr/sbin/userdel"),
  id: absPath.default("/usr/bin/id"),
  /** the login shell of site users */
  shell: absPath.default("/usr/sbin/nologin"),
});

/** Binaries the facts look for; a path that does not exist means "not installed". */
const binaries = z.strictObject({
  mariadb: absPath.default("/usr/sbin/mariadbd"),
  mysqld: absPath.default("/usr/sbin/mysqld"),
  /** a postgres binary, or the directory holding <version>/bin/postgres */
  postgres: absPath.default("/usr/lib/postgresql"),
  postfix: absPath.default("/usr/sbin/postfix"),
  postconf: absPath.default("/usr/sbin/postconf"),
  dovecot: absPath.default("/usr/sbin/dovecot"),
  rspamd: absPath.default("/usr/bin/rspamd"),
  /** ClamAV's daemon (Debian's clamav-daemon): mail domains may have viruses refused */
  clamd: absPath.default("/usr/sbin/clamd"),
  podman: absPath.default("/usr/bin/podman"),
});

/** How proxy upstreams are resolved: the system's resolver, or these DNS servers. */
const resolver = z.strictObject({
  /** "192.0.2.53" or "192.0.2.53:5353" or "[2001:db8::53]:53"; the system's resolver when empty */
  servers: z
    .array(
      z.string().regex(/^([0-9.]{7,15}|\[[0-9a-fA-F:]+\])(:[0-9]{1,5})?$/, "must be ip or ip:port"),
    )
    .max(5)
    .default([]),
});

/** The authoritative DNS server Steward's zones go to (docs/dns.md); none by default. */
const dns = z.strictObject({
  backend: z.enum(["none", "bind", "powerdns"]).default("none"),
  /** where the server answers queries: the agent checks each applied zone's serial there */
  query: z
    .string()
    .regex(/^[0-9.]{7,15}(:[0-9]{1,5})?$/, "must be ip or ip:port")
    .default("127.0.0.1:53"),
  bind: z
    .strictObject({
      /** zone files <zone>.zone and zones.conf, which named.conf includes (one line) */
      zoneDir: absPath.default("/var/lib/bind/steward"),
      checkzone: absPath.default("/usr/bin/named-checkzone"),
      rndc: absPath.default("/usr/sbin/rndc"),
      /** rndc -c (its key and server); rndc's default when unset */
      rndcConf: absPath.optional(),
    })
    .default({
      zoneDir: "/var/lib/bind/steward",
      checkzone: "/usr/bin/named-checkzone",
      rndc: "/usr/sbin/rndc",
    }),
  powerdns: z
    .strictObject({
      apiUrl: z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        .default("http://127.0.0.1:8081"),
      /** the node's PowerDNS API key (api-key in pdns.conf): the agent's, never the panel's */
      apiKey: z.string().max(200).default(""),
      serverId: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/)
        .default("localhost"),
      pdnsutil: absPath.default("/usr/bin/pdnsutil"),
      /** pdnsutil --config-dir; the check runs only when set */
      configDir: absPath.optional(),
    })
    .default({
      apiUrl: "http://127.0.0.1:8081",
      apiKey: "",
      serverId: "localhost",
      pdnsutil: "/usr/bin/pdnsutil",
    }),
});

/** rspamd's settings that Steward owns, how to test and reload them, where it scans (mail.apply). */
const mailRspamd = z.strictObject({
  /** rspamd reads it into its settings module: Steward's rules per mail domain */
  settingsFile: absPath.default("/etc/rspamd/local.d/settings.conf"),
  rspamadm: absPath.default("/usr/bin/rspamadm"),
  config: absPath.default("/etc/rspamd/rspamd.conf"),
  /** --var NAME=VALUE for rspamadm (a hermetic instance's directories) */
  vars: z
    .array(z.string().regex(/^[A-Z_]{1,32}=\/[\w./-]{0,200}$/, "must be NAME=/path"))
    .max(8)
    .default([]),
  /** SIGHUP to this pid reloads it (what its systemd unit's reload does) */
  pidFile: absPath.default("/run/rspamd/rspamd.pid"),
  /** its normal worker (HTTP /checkv2): the check that a reload took effect */
  scan: z
    .strictObject({
      host: z.string().min(1).max(255).default("127.0.0.1"),
      port: port.default(11333),
    })
    .default({ host: "127.0.0.1", port: 11333 }),
  /** Pigeonhole's compiler for Steward's Junk rule (Dovecot's sieve_before names it) */
  sievec: absPath.default("/usr/bin/sievec"),
  /**
   * where clamd listens, for rspamd's antivirus module (docs/mail.md#viruses): its LocalSocket
   * (Debian's is /run/clamav/clamd.ctl) or host:port (TCPSocket); unset: no virus scanning
   */
  clamd: z
    .string()
    .regex(
      /^(\/[\w./-]{1,200}|[A-Za-z0-9.-]{1,253}:[0-9]{1,5})$/,
      "must be clamd's socket path or host:port",
    )
    .optional(),
});

/**
 * Mail hosting (docs/mail.md): Steward's own files that the node's Postfix and Dovecot read
 * (main.cf and dovecot.conf name them once, at install), where Maildirs live, and where the
 * agent proves a change at RCPT. Off until enabled.
 */
const mail = z.strictObject({
  enabled: z.boolean().default(false),
  /** domains, mailboxes, aliases (Postfix texthash maps) and users (Dovecot's passwd-file) */
  configDir: absPath.default("/etc/steward/mail"),
  /** Maildirs: <mailRoot>/<domain>/<local part> */
  mailRoot: absPath.default("/var/mail/steward"),
  /** who owns the Maildirs (Dovecot's mail uid and gid) */
  uid: z.number().int().min(1).max(4294967294).default(5000),
  gid: z.number().int().min(1).max(4294967294).default(5000),
  postfix: z
    .strictObject({
      bin: absPath.default("/usr/sbin/postfix"),
      postconf: absPath.default("/usr/sbin/postconf"),
      /** postfix -c / postconf -c; the binaries' default when unset */
      configDir: absPath.optional(),
    })
    .default({ bin: "/usr/sbin/postfix", postconf: "/usr/sbin/postconf" }),
  dovecot: z
    .strictObject({
      doveconf: absPath.default("/usr/bin/doveconf"),
      doveadm: absPath.default("/usr/bin/doveadm"),
      /** Pigeonhole's compiler: autoresponders' Sieve scripts are compiled before use */
      sievec: absPath.default("/usr/bin/sievec"),
      /** -c: dovecot.conf; the binaries' default when unset */
      config: absPath.optional(),
      /** Dovecot's auth process user (default_internal_user): its group reads the passwd-file */
      authUser: z.string().regex(systemUserPattern, "must be a user name").default("dovecot"),
    })
    .default({
      doveconf: "/usr/bin/doveconf",
      doveadm: "/usr/bin/doveadm",
      sievec: "/usr/bin/sievec",
      authUser: "dovecot",
    }),
  /**
   * DKIM signing (mail.dkim): OpenDKIM as a milter of this Postfix, its opendkim.conf naming
   * Steward's KeyTable and SigningTable (<configDir>/dkim/) once, at install; unset: no DKIM
   */
  opendkim: z
    .strictObject({
      bin: absPath.default("/usr/sbin/opendkim"),
      config: absPath.default("/etc/opendkim.conf"),
      /** OpenDKIM's user: owns the private keys (0600), as its RequireSafeKeys wants */
      user: z.string().regex(systemUserPattern, "must be a user name").default("opendkim"),
      /** signalled (SIGUSR1) to read its configuration and tables again */
      pidFile: absPath.default("/run/opendkim/opendkim.pid"),
    })
    .optional(),
  /** where Postfix takes mail for its domains (port 25): the RCPT check after a change */
  smtp: z
    .strictObject({ host: z.string().min(1).max(255).default("127.0.0.1"), port: port.default(25) })
    .default({ host: "127.0.0.1", port: 25 }),
  /** the node's rspamd, when Postfix uses it as a milter (docs/mail.md#spam); absent: no spam filter */
  rspamd: mailRspamd.optional(),
});

/** The node's own database servers, reached as their admin through the local socket. */
const databases = z.strictObject({
  mariadb: z
    .strictObject({
      socket: absPath.default("/run/mysqld/mysqld.sock"),
      /** logs in by unix_socket authentication (root, as the agent) */
      adminUser: z.string().min(1).max(80).default("root"),
    })
    .default({ socket: "/run/mysqld/mysqld.sock", adminUser: "root" }),
  postgres: z
    .strictObject({
      socketDir: absPath.default("/var/run/postgresql"),
      port: portIn(1).default(5432),
      /** logs in by peer authentication (pg_ident.conf maps root to it) */
      adminUser: z.string().min(1).max(63).default("postgres"),
      /** where users log in with their password (the password checks of a rotation) */
      loginHost: z.string().min(1).max(255).default("127.0.0.1"),
    })
    .default({
      socketDir: "/var/run/postgresql",
      port: 5432,
      adminUser: "postgres",
      loginHost: "127.0.0.1",
    }),
});

/** The container engine apps run on (docs/apps.md): its Docker Engine API socket. */
const containers = z.strictObject({
  engine: z.enum(["docker", "podman"]).default("docker"),
  socket: absPath.default("/var/run/docker.sock"),
  /** apps' own directories (their volumes): <appsRoot>/<app id>/<source> */
  appsRoot: absPath.default("/var/lib/steward/apps"),
  /** where host ports are picked for ports published without one */
  portRange: z
    .tuple([portIn(1024), portIn(1024)])
    .refine(([a, b]) => a <= b, "must be [low, high]")
    .default([20000, 32767]),
  /** extra CA certificates (PEM) git trusts for https remotes (a private Gitea, a test's CA) */
  gitCaFile: absPath.optional(),
  /** docker-compose (compose stacks): 1.29's Python one works against Podman's socket */
  compose: absPath.default("/usr/bin/docker-compose"),
});

/** The node's cloudflared (Cloudflare tunnel): its configuration file, binary and service. */
const cloudflared = z.strictObject({
  configFile: absPath.default("/etc/cloudflared/config.yml"),
  /** `tunnel ingress validate` checks a new ingress with it; the agent's own check when absent */
  bin: absPath.default("/usr/bin/cloudflared"),
  /** the systemd unit restarted to apply a new ingress */
  unit: z.string().min(1).max(100).default("cloudflared"),
});

const FTP_RESTART = ["/usr/bin/systemctl", "restart", "pure-ftpd"];

/** Hosting accounts' system users, SFTP and FTP (docs/hosting.md). */
const hosting = z.strictObject({
  /** accounts' chroots: <homeRoot>/<main user>/ (root, 0711), the account's home in it */
  homeRoot: absPath.default("/srv/steward/home"),
  /** users' authorized keys, one root-owned file per user (sshd's AuthorizedKeysFile) */
  keysDir: absPath.default("/etc/steward/ssh-keys"),
  usermod: absPath.default("/usr/sbin/usermod"),
  chpasswd: absPath.default("/usr/sbin/chpasswd"),
  chown: absPath.default("/usr/bin/chown"),
  /** quota tools: sysusers.usage reads user quotas, sysusers.apply sets them (when on) */
  quotaon: absPath.default("/usr/sbin/quotaon"),
  repquota: absPath.default("/usr/sbin/repquota"),
  /** sets a system user's quota (sysusers.apply, quotaMb) */
  setquota: absPath.default("/usr/sbin/setquota"),
  /** the login shell of users with shell access "restricted" */
  restrictedShell: absPath.default("/bin/rbash"),
  /** accounts' cron files: <cronDir>/steward-<account> (0644 root; cron reads the directory) */
  cronDir: absPath.default("/etc/cron.d"),
  /** runs a cron job's command now as its user (util-linux) */
  setpriv: absPath.default("/usr/bin/setpriv"),
  /**
   * how a cron.d line starts the agent's `cron-exec` (scheduled runs reported back): an
   * absolute program and its first arguments; unset: this agent's own (the single-file
   * agent, or Node with the CLI's entry and `agent`)
   */
  cronExec: z
    .array(z.string().regex(/^[A-Za-z0-9._/+@=:-]{1,300}$/, "must be plain characters"))
    .min(1)
    .max(8)
    .refine((a) => a[0]?.startsWith("/"), "must start with an absolute program")
    .optional(),
  /** the web server's user, made a member of each account's group to read its files */
  webUser: z.string().regex(systemUserPattern).nullable().default("www-data"),
  sshd: z
    .strictObject({
      bin: absPath.default("/usr/sbin/sshd"),
      configFile: absPath.default("/etc/ssh/sshd_config"),
      /** one steward-<main user>.conf per account; sshd_config must Include *.conf of it */
      includeDir: absPath.default("/etc/ssh/sshd_config.d"),
      unit: z.string().min(1).max(100).default("ssh"),
      pidFile: absPath.default("/run/sshd.pid"),
    })
    .default({
      bin: "/usr/sbin/sshd",
      configFile: "/etc/ssh/sshd_config",
      includeDir: "/etc/ssh/sshd_config.d",
      unit: "ssh",
      pidFile: "/run/sshd.pid",
    }),
  ftp: z
    .strictObject({
      purePw: absPath.default("/usr/bin/pure-pw"),
      /** Steward's virtual users (pure-pw's passwd format) and the puredb pure-ftpd reads */
      passwdFile: absPath.default("/etc/pure-ftpd/steward.passwd"),
      pdbFile: absPath.default("/etc/pure-ftpd/steward.pdb"),
      /** pure-ftpd's TLS certificate (key then chain, one PEM), written by ftp.tls */
      certFile: absPath.default("/etc/ssl/private/pure-ftpd.pem"),
      /** how pure-ftpd is restarted after ftp.tls (it reads its certificate only at start) */
      restart: z.array(z.string().min(1).max(4096)).min(1).max(16).default(FTP_RESTART),
      /** where ftp.tls checks AUTH TLS serves the new certificate */
      port: z.number().int().min(1).max(65535).default(21),
    })
    .default({
      purePw: "/usr/bin/pure-pw",
      passwdFile: "/etc/pure-ftpd/steward.passwd",
      pdbFile: "/etc/pure-ftpd/steward.pdb",
      certFile: "/etc/ssl/private/pure-ftpd.pem",
      restart: FTP_RESTART,
      port: 21,
    }),
});

/** The node's firewall (docs/firewall.md): Steward's own nftables table `inet steward`. */
const firewall = z.strictObject({
  nft: absPath.default("/usr/sbin/nft"),
  ip: absPath.default("/usr/sbin/ip"),
  /** the network namespace nft runs in (`ip netns exec`: tests); the node's own when unset */
  netns: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be a network namespace name")
    .optional(),
  /** the log SSH bans read (sshd's failures) */
  authLog: absPath.default("/var/log/auth.log"),
  /** how often the log is read for SSH bans, seconds */
  scanSeconds: z.number().int().min(1).max(300).default(5),
  /** the confirmed table, loaded at boot by bootUnit (`nft -f`) */
  bootFile: absPath.default("/etc/steward/firewall.nft"),
  /** the oneshot unit that loads bootFile at boot; null: none written (the node loads it its own way) */
  bootUnit: absPath.nullable().default("/etc/systemd/system/steward-firewall.service"),
});

export const agentJson = z.strictObject({
  nodeId: z.string().regex(idPattern, "must be the node id the panel gave"),
  panelUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  /** a panel with a self-signed certificate: its public key, pinned (panel-fetch.ts) */
  panelPin: panelPin.optional(),
  /** agent upgrades: seconds a new version has to answer the panel before it rolls back */
  upgradeConfirmSeconds: z.number().int().min(1).max(3600).default(60),
  listen: z
    .strictObject({
      host: z.string().min(1).max(255).default("0.0.0.0"),
      /** 0: any free port (tests) */
      port: portIn(0).default(7443),
    })
    .default({ host: "0.0.0.0", port: 7443 }),
  /** relative to the agent's directory unless absolute */
  files: z
    .strictObject({
      key: fileName.default("agent.key"),
      certificate: fileName.default("agent.crt"),
      ca: fileName.default("ca.crt"),
      panelCertificate: fileName.default("panel.crt"),
    })
    .default({
      key: "agent.key",
      certificate: "agent.crt",
      ca: "ca.crt",
      panelCertificate: "panel.crt",
    }),
  /** auto: /run/systemd/system exists */
  systemd: z.union([z.literal("auto"), z.boolean()]).default("auto"),
  systemctl: absPath.default("/usr/bin/systemctl"),
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  nginx: nginx.default(nginx.parse({})),
  phpFpm: phpFpmRaw.default({ socketDir: "/run/php" }),
  users: users.default(users.parse({})),
  sitesRoot: absPath.default("/var/www/steward"),
  logDir: absPath.default("/var/log/steward"),
  /** sites' keys and certificates: <tlsDir>/<site id>/ (root only) */
  tlsDir: absPath.default("/etc/steward/tls"),
  /** more mount points the facts report (/, sitesRoot and logDir always) */
  disks: z.array(absPath).max(50).default([]),
  binaries: binaries.default(binaries.parse({})),
  resolver: resolver.default({ servers: [] }),
  dns: dns.default(dns.parse({})),
  databases: databases.default(databases.parse({})),
  containers: containers.default(containers.parse({})),
  cloudflared: cloudflared.default(cloudflared.parse({})),
  hosting: hosting.default(hosting.parse({})),
  mail: mail.default(mail.parse({})),
  firewall: firewall.default(firewall.parse({})),
});
export type AgentJson = z.input<typeof agentJson>;

type Parsed = z.output<typeof agentJson>;

export interface PhpFpmConfig {
  version: string;
  bin: string;
  confFile?: string;
  prefix?: string;
  poolDir: string;
  socketDir: string;
  pidFile: string;
  unit: string;
}

export interface AgentConfig extends Omit<Parsed, "systemd" | "phpFpm"> {
  /** the agent's directory: agent.json, its key and certificates (0700) */
  dir: string;
  /** resolved: is systemd managing services here */
  systemd: boolean;
  phpFpm: PhpFpmConfig;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates agent.json's content; a bad value is one error naming its key. */
export function parseConfig(dir: string, raw: unknown): AgentConfig {
  const r = agentJson.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue?.path.join(".") || "(top level)";
    throw new ConfigError(`${join(dir, CONFIG_FILE)}: ${key} ${issue?.message ?? "is invalid"}`);
  }
  const c = r.data;
  const systemd = c.systemd === "auto" ? existsSync("/run/systemd/system") : c.systemd;
  return { ...c, dir, systemd, phpFpm: phpFpmDefaults(c.phpFpm) };
}

export function loadConfig(dir = DEFAULT_DIR): AgentConfig {
  const path = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new ConfigError(`${path} does not exist: enroll first (steward agent enroll)`);
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(dir, raw);
}

/** A file named in config.files, as an absolute path. */
export function filePath(config: Pick<AgentConfig, "dir" | "files">, name: keyof Parsed["files"]) {
  const f = config.files[name];
  return isAbsolute(f) ? f : join(config.dir, f);
}

/** Debian's layout for one PHP version; the newest installed php-fpm when none is set. */
export function phpFpmDefaults(p: z.output<typeof phpFpmRaw>): PhpFpmConfig {
  const version = p.version ?? newestPhpFpm() ?? "8.2";
  return {
    version,
    bin: p.bin ?? `/usr/sbin/php-fpm${version}`,
    ...(p.confFile ? { confFile: p.confFile } : {}),
    ...(p.prefix ? { prefix: p.prefix } : {}),
    poolDir: p.poolDir ?? `/etc/php/${version}/fpm/pool.d`,
    socketDir: p.socketDir,
    pidFile: p.pidFile ?? `/run/php/php${version}-fpm.pid`,
    unit: p.unit ?? `php${version}-fpm`,
  };
}

export function newestPhpFpm(dir = "/usr/sbin"): string | null {
  return installedPhpFpm(dir)[0] ?? null;
}

/** The PHP-FPM versions sites may choose: the configured one (when installed) first. */
export function phpVersions(config: Pick<AgentConfig, "phpFpm">, dir?: string) {
  const d = existsSync(config.phpFpm.bin) ? config.phpFpm.version : null;
  const others = installedPhpFpm(dir).filter((v) => v !== d);
  return { default: d, versions: d ? [d, ...others] : others };
}

/** The PHP-FPM versions installed side by side (`php-fpm8.2`…), newest first. */
export function installedPhpFpm(dir = "/usr/sbin"): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => /^php-fpm(\d+)\.(\d+)$/.exec(n))
    .filter((m) => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]) || Number(b[2]) - Number(a[2]))
    .map((m) => `${m[1]}.${m[2]}`);
}
