// `npm run bench:sysusers [-- --json] [--users 1,10,50]`: an account's system users made on a
// node (as root: real useradd, a hermetic sshd and pure-ftpd from testkit), for accounts of
// N secondary users. steward: `sysusers.apply` through the agent's operation framework (users,
// homes, keys, passwords, the sshd include with `sshd -t`, reload and the `sshd -T` check of
// every SFTP user, pure-ftpd's puredb), then the same input again (nothing to change), then
// one password changed; floor: the irreducible work by hand — useradd for each user, one
// `chpasswd -e`, the include written, `sshd -t`, SIGHUP, `pure-pw mkdb` — with no checks, no
// journal and no verification. Users are deleted between runs (not timed). Progress on
// stderr; stdout the table, or with --json only
// {"results":[{"system","users","createMs","rerunMs","changeMs","maxRssMb"}]}.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "@steward/agent";
import { runOperation, sysUsersApply } from "@steward/agent/testing";
import { startHostingFtp, startHostingSshd } from "@steward/testkit";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    users: { type: "string", default: "1,10,50" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

export interface Result {
  system: "steward" | "floor";
  users: number;
  createMs: number;
  rerunMs: number | null;
  changeMs: number | null;
  maxRssMb: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const rss = () => round(process.resourceUsage().maxRSS / 1024);
const hash = execFileSync("openssl", ["passwd", "-6", "bench-password-1"], {
  encoding: "utf8",
}).trim();
const other = execFileSync("openssl", ["passwd", "-6", "bench-password-2"], {
  encoding: "utf8",
}).trim();
const time = async (work: () => Promise<unknown> | unknown) => {
  const start = performance.now();
  await work();
  return round(performance.now() - start);
};
const userdel = (name: string) => {
  try {
    execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
  } catch {} // not made
};

async function main() {
  if (process.getuid?.() !== 0) throw new Error("bench:sysusers needs root (useradd, sshd)");
  const sshd = await startHostingSshd();
  const ftp = await startHostingFtp();
  if (!sshd || !ftp) throw new Error("sshd and pure-ftpd are needed");
  const base = mkdtempSync("/srv/stw-bench-");
  chmodSync(base, 0o755);
  const work = mkdtempSync(join(tmpdir(), "stw-bench-sysusers-"));
  const hosting = {
    homeRoot: join(base, "home"),
    keysDir: join(base, "keys"),
    webUser: null,
    sshd: {
      bin: sshd.bin,
      configFile: sshd.configFile,
      includeDir: sshd.includeDir,
      pidFile: sshd.pidFile,
    },
    ftp: { purePw: ftp.purePw, passwdFile: ftp.passwdFile, pdbFile: ftp.pdbFile },
  };
  const config = parseConfig(work, {
    nodeId: "bench-node",
    panelUrl: "https://panel.test:7443",
    systemd: false,
    hosting,
  });
  const results: Result[] = [];
  try {
    for (const n of values.users.split(",").map(Number)) {
      const tag = randomBytes(2).toString("hex");
      const main = `stwbench${tag}`;
      const names = Array.from({ length: n }, (_, i) => `stwb${tag}u${i}`);
      const input = (passwordHash: string) => ({
        id: `acc_${tag}`,
        present: true,
        main: { name: main, shell: "sftp", ftp: true, keys: [], passwordHash: hash },
        secondary: names.map((name, i) => ({
          name,
          home: `u${i}`,
          shell: "sftp",
          ftp: true,
          keys: [],
          passwordHash,
        })),
        remove: [],
        deleteFiles: false,
      });
      const apply = async (body: unknown) => {
        const r = await runOperation(sysUsersApply, body, { config, requestId: `bench-${tag}` });
        if (r.status !== "ok") throw new Error(JSON.stringify(r.error));
      };
      say(`steward, ${n} users`);
      const createMs = await time(() => apply(input(hash)));
      const rerunMs = await time(() => apply(input(hash)));
      const changeMs = await time(() => apply(input(other)));
      results.push({ system: "steward", users: n, createMs, rerunMs, changeMs, maxRssMb: rss() });
      await apply({ ...input(hash), present: false, deleteFiles: true });

      say(`floor, ${n} users`);
      const floorMs = await time(() => {
        execFileSync("/usr/sbin/useradd", ["--user-group", "--no-create-home", "--", main]);
        for (const name of names)
          execFileSync("/usr/sbin/useradd", [
            "--no-user-group",
            "--gid",
            main,
            "--no-create-home",
            "--",
            name,
          ]);
        execFileSync("/usr/sbin/chpasswd", ["-e"], {
          input: [main, ...names].map((u) => `${u}:${hash}\n`).join(""),
        });
        const include = join(sshd.includeDir, `steward-${main}.conf`);
        writeFileSync(
          include,
          [main, ...names].map((u) => `Match User ${u}\n    ChrootDirectory ${base}\n`).join(""),
        );
        execFileSync(sshd.bin, ["-t", "-f", sshd.configFile]);
        process.kill(Number(readFileSync(sshd.pidFile, "utf8")), "SIGHUP");
        writeFileSync(
          ftp.passwdFile,
          [main, ...names].map((u) => `${u}:${hash}:1000:1000::/srv/./::::::::::::\n`).join(""),
        );
        execFileSync(ftp.purePw, ["mkdb", ftp.pdbFile, "-f", ftp.passwdFile]);
        rmSync(include);
      });
      results.push({
        system: "floor",
        users: n,
        createMs: floorMs,
        rerunMs: null,
        changeMs: null,
        maxRssMb: rss(),
      });
      for (const name of [...names, main]) userdel(name);
      await sshd.ready();
    }
  } finally {
    await sshd.stop();
    await ftp.stop();
    rmSync(base, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return;
  }
  process.stdout.write("system   users  create ms  re-run ms  change ms  max RSS MB\n");
  for (const r of results)
    process.stdout.write(
      `${r.system.padEnd(8)} ${String(r.users).padStart(5)} ${String(r.createMs).padStart(10)} ${String(r.rerunMs ?? "-").padStart(10)} ${String(r.changeMs ?? "-").padStart(10)} ${String(r.maxRssMb).padStart(11)}\n`,
    );
}

await main();
