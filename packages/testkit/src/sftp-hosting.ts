// A hermetic sshd for hosting accounts' users (issue 19): the machine's real users (no
// nss_wrapper: the agent under test makes them with useradd) and Debian's layout, an `Include`
// of a directory of `*.conf` before the global settings, which the agent fills with its Match
// blocks (ChrootDirectory, ForceCommand internal-sftp). The launcher's pieces are sftp.ts's.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { keyPair, launch, portOpen, SSHD, stopChild } from "./sftp.ts";
import { missing } from "./system.ts";

export interface HostingSshd {
  host: string;
  port: number;
  /** the main configuration: `Include <includeDir>/*.conf` first, then the global settings */
  configFile: string;
  includeDir: string;
  /** sshd's pid file (a reload is SIGHUP to it) */
  pidFile: string;
  bin: string;
  /** the server's host key fingerprint (SHA256:…) */
  hostKey: string;
  /** resolves once sshd listens again (after a reload, which re-executes it) */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An sshd for hosting accounts' users (issue 19): the machine's real users (no nss_wrapper:
 * the agent under test makes them with useradd), Debian's layout of an `Include` of a
 * directory of `*.conf` before the global settings, which the agent fills with its Match
 * blocks (ChrootDirectory, ForceCommand internal-sftp). Globally: no password logins, no
 * forwarding, strict modes. Needs root. One per test file.
 */
export async function startHostingSshd(): Promise<HostingSshd | null> {
  if (!existsSync(SSHD)) return missing("sshd", "apt-get install openssh-server");
  if (process.getuid?.() !== 0) return missing("root", "sshd chroots and switches users");
  const dir = mkdtempSync(join(tmpdir(), "stw-hsshd-"));
  try {
    const includeDir = join(dir, "sshd_config.d");
    mkdirSync(includeDir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const host = keyPair(dir, "host_key");
    const port = await freePort();
    const configFile = join(dir, "sshd_config");
    const pidFile = join(dir, "sshd.pid");
    writeFileSync(
      configFile,
      [
        `Include ${includeDir}/*.conf`,
        "ListenAddress 127.0.0.1",
        `Port ${port}`,
        `HostKey ${host.key}`,
        `PidFile ${pidFile}`,
        "UsePAM no",
        "StrictModes yes",
        "PermitRootLogin no",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "AuthorizedKeysFile none",
        "Subsystem sftp internal-sftp",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "MaxStartups 100",
        "",
      ].join("\n"),
    );
    const child = await launch(configFile, port);
    return {
      host: "127.0.0.1",
      port,
      configFile,
      includeDir,
      pidFile,
      bin: SSHD,
      hostKey: host.fingerprint,
      async ready() {
        const deadline = Date.now() + 10_000;
        while (!(await portOpen(port))) {
          if (child.exitCode !== null || Date.now() > deadline)
            throw new Error(`sshd stopped listening (exit ${child.exitCode})`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      async stop() {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
