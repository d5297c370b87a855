// A hermetic ClamAV daemon (Debian's clamav-daemon): `clamd --foreground` with a config of its
// own (TCP on a random 127.0.0.1 port, a temp DatabaseDirectory, its log on stderr), as the
// clamav user. No internet here, so no freshclam: its database is one real signature file,
// an MD5 signature (.hdb) of the EICAR test file, which clamd loads like any. A tiny database
// starts in about a second; start one per test file.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

/** The EICAR anti-virus test file (68 bytes): every scanner treats it as a virus. */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
/** The name the test database gives it (ClamAV's own database calls it the same) */
export const EICAR_SIGNATURE = "Eicar-Test-Signature";

export interface Clamd {
  host: string;
  port: number;
  /** what clamd logged so far */
  log(): string;
  stop(): Promise<void>;
}

export async function startClamd(): Promise<Clamd | null> {
  const bin = process.env.STEWARD_CLAMD_BIN ?? "/usr/sbin/clamd";
  if (!existsSync(bin)) return missing("clamd", "apt-get install clamav-daemon");
  const root = process.getuid?.() === 0;
  const user = root ? unprivilegedUser(["clamav", "nobody"]) : null;
  const dir = mkdtempSync(join(tmpdir(), "steward-clamd-"));
  chmodSync(dir, 0o755);
  const db = join(dir, "db");
  mkdirSync(db, { mode: 0o755 });
  const md5 = createHash("md5").update(EICAR).digest("hex");
  writeFileSync(join(db, "steward-test.hdb"), `${md5}:${EICAR.length}:${EICAR_SIGNATURE}\n`);
  if (user) for (const p of [dir, db]) chownSync(p, user.uid, user.gid);
  const port = await freePort();
  const config = join(dir, "clamd.conf");
  writeFileSync(
    config,
    [
      "Foreground yes",
      `TCPSocket ${port}`,
      "TCPAddr 127.0.0.1",
      `DatabaseDirectory ${db}`,
      `TemporaryDirectory ${dir}`,
      `PidFile ${join(dir, "clamd.pid")}`,
      "LogTime yes",
      "LogVerbose no",
      ...(user ? [`User ${user.name}`] : []),
      "",
    ].join("\n"),
  );
  let output = "";
  const child: ChildProcess = spawn(bin, ["--foreground", `--config-file=${config}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const late = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`clamd exited: ${output.slice(-2000)}`);
      if ((await ask(port, "PING").catch(() => "")) === "PONG") break;
      if (Date.now() > deadline) throw new Error(`clamd is not ready: ${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { host: "127.0.0.1", port, log: () => output, stop };
}

/** One clamd command (its `z` form: NUL-terminated) and its answer. */
function ask(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const s = connect({ host: "127.0.0.1", port }, () => s.write(`z${command}\0`));
    s.setTimeout(5000, () => s.destroy(new Error("clamd did not answer")));
    s.on("data", (d) => {
      answer += d.toString();
    });
    s.once("error", reject);
    s.once("close", () => resolve(answer.replace(/\0$/, "")));
  });
}
