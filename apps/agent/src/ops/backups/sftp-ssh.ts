// An SFTP session through OpenSSH's own client, by argv: `ssh -F none … -s HOST sftp`, its
// stdin/stdout carrying the protocol (sftp-protocol.ts). The host key is pinned: ssh-keyscan
// reads the server's keys (no authentication), the one whose SHA-256 fingerprint is the pin is
// written to a private known_hosts file, and ssh connects with StrictHostKeyChecking=yes and
// only that key's algorithms, so a server presenting any other key is refused before a
// password or key is offered. The password and a private key's passphrase reach ssh through
// SSH_ASKPASS (sftp-askpass.ts: never in an argv or an environment), the private key through
// a 0600 file; all in a 0700 temp directory removed when the session ends.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import { serveAskpass } from "./sftp-askpass.ts";
import { SftpSession } from "./sftp-protocol.ts";

type Settings = DestinationSettingsOf<"sftp">;

/** OpenSSH's client (openssh-client, in every distribution the agent runs on). */
const SSH = "/usr/bin/ssh";
const KEYSCAN = "/usr/bin/ssh-keyscan";

/** The server's key that matched the pin: its type and base64 blob. */
export interface PinnedKey {
  type: string;
  blob: string;
}

const ALIAS = "steward-pinned-host";
const TIMEOUT_S = 20;

export const fingerprint = (blob: string) =>
  `SHA256:${createHash("sha256").update(Buffer.from(blob, "base64")).digest("base64").replace(/=+$/, "")}`;

/** The host key algorithms a key of this type is presented with. */
const algorithmsOf = (type: string) => (type === "ssh-rsa" ? "rsa-sha2-512,rsa-sha2-256" : type);

/** Reads the server's host keys and answers the one matching the pin, or refuses with words. */
export function pinHostKey(settings: Settings): Promise<PinnedKey> {
  const where = `${settings.host}:${settings.port}`;
  const args = ["-T", String(TIMEOUT_S), "-p", String(settings.port), "--", settings.host];
  return new Promise((resolve, reject) => {
    execFile(KEYSCAN, args, { timeout: (TIMEOUT_S + 5) * 1000 }, (error, stdout, stderr) => {
      const keys = stdout
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter((f) => f.length >= 3 && !f[0]?.startsWith("#"))
        .map(([, type, blob]) => ({ type: type as string, blob: blob as string }));
      const match = keys.find((k) => fingerprint(k.blob) === settings.hostKey);
      if (match) return resolve(match);
      if (keys.length === 0) {
        const why = lastLine(stderr) || error?.message || "no answer";
        return reject(new Error(`could not read the host key of ${where}: ${why}`));
      }
      const offered = keys.map((k) => `${k.type} ${fingerprint(k.blob)}`).join(", ");
      reject(
        new Error(
          `the host key of ${where} does not match the pinned ${settings.hostKey} (the server offers ${offered}): refusing to connect`,
        ),
      );
    });
  });
}

function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && !l.startsWith("Warning:"));
  return lines.at(-1) ?? "";
}

export interface OpenSession {
  session: SftpSession;
  /** ends the session and removes its temp directory */
  end(): Promise<void>;
}

function sshArgs(settings: Settings, key: PinnedKey, dir: string): string[] {
  const o = (option: string) => ["-o", option];
  const password = settings.password !== undefined;
  const privateKey = settings.privateKey !== undefined;
  const asks = password || settings.passphrase !== undefined;
  return [
    "-F",
    "none",
    ...o(`BatchMode=${asks ? "no" : "yes"}`),
    ...o("StrictHostKeyChecking=yes"),
    ...o(`UserKnownHostsFile=${join(dir, "known_hosts")}`),
    ...o("GlobalKnownHostsFile=/dev/null"),
    ...o(`HostKeyAlias=${ALIAS}`),
    ...o(`HostKeyAlgorithms=${algorithmsOf(key.type)}`),
    ...o("UpdateHostKeys=no"),
    ...o("CheckHostIP=no"),
    ...o("IdentitiesOnly=yes"),
    ...o("IdentityAgent=none"),
    ...o(`IdentityFile=${privateKey ? join(dir, "id") : "none"}`),
    ...o(`PubkeyAuthentication=${privateKey ? "yes" : "no"}`),
    ...o(`PasswordAuthentication=${password ? "yes" : "no"}`),
    ...o("KbdInteractiveAuthentication=no"),
    ...o("PreferredAuthentications=publickey,password"),
    ...o("NumberOfPasswordPrompts=1"),
    ...o(`ConnectTimeout=${TIMEOUT_S}`),
    ...o("ServerAliveInterval=15"),
    ...o("ServerAliveCountMax=4"),
    ...o("ControlMaster=no"),
    ...o("ControlPath=none"),
    ...o("ForwardAgent=no"),
    ...o("ForwardX11=no"),
    ...o("ClearAllForwardings=yes"),
    ...o("PermitLocalCommand=no"),
    ...o("LogLevel=ERROR"),
    "-T",
    "-p",
    String(settings.port),
    "-l",
    settings.username,
    "-s",
    "--",
    settings.host,
    "sftp",
  ];
}

/** Why ssh ended, in words (its last line of stderr, the host key's refusal made plain). */
function sshFailure(stderr: string, code: number | null, settings: Settings): Error {
  const where = `${settings.host}:${settings.port}`;
  if (/host key verification failed|IDENTIFICATION HAS CHANGED/i.test(stderr))
    return new Error(
      `the host key of ${where} does not match the pinned ${settings.hostKey}: refusing to connect`,
    );
  const why = lastLine(stderr) || `ssh exited with ${code}`;
  return new Error(`SFTP ${where}: ${why}`);
}

/** Starts ssh with the pinned key and the credentials, and completes the SFTP handshake. */
export async function openSession(settings: Settings, key: PinnedKey): Promise<OpenSession> {
  const dir = await mkdtemp(join(tmpdir(), "stw-sftp-"));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir };
  let child: ChildProcess | null = null;
  let askpass: Server | null = null;
  const end = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.stdin?.end();
      const timer = setTimeout(() => child?.kill("SIGTERM"), 2000);
      await exited;
      clearTimeout(timer);
    }
    askpass?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await writeFile(join(dir, "known_hosts"), `${ALIAS} ${key.type} ${key.blob}\n`, {
      mode: 0o600,
    });
    if (settings.privateKey !== undefined) {
      const pem = settings.privateKey.replace(/\r\n/g, "\n");
      await writeFile(join(dir, "id"), pem.endsWith("\n") ? pem : `${pem}\n`, { mode: 0o600 });
    }
    if (settings.password !== undefined || settings.passphrase !== undefined) {
      const served = await serveAskpass(dir, settings);
      askpass = served.server;
      Object.assign(env, served.env);
    }
    const ssh = spawn(SSH, sshArgs(settings, key, dir), {
      env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child = ssh;
    let stderr = "";
    ssh.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4096);
    });
    const session = new SftpSession(ssh.stdout, ssh.stdin);
    const exited = new Promise<void>((resolve) => ssh.once("close", () => resolve()));
    ssh.once("error", (error) => session.fail(error));
    void exited.then(() => session.fail(sshFailure(stderr, ssh.exitCode, settings)));
    await session.init();
    return { session, end };
  } catch (error) {
    await end();
    throw error;
  }
}
