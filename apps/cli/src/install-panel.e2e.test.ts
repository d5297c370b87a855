// install/panel.sh into a scratch root (--root): the user steward, its directories, the
// release, the units (checked by systemd-analyze verify with the paths they name), the
// installed panel serving as that unprivileged user; a second run changes nothing it should
// keep; hostile options are refused before anything is written; --uninstall keeps the data,
// --purge removes it. shellcheck checks the script.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltRelease, buildRelease } from "./build-release.ts";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const script = join(repo, "install/panel.sh");
const asRoot = process.getuid?.() === 0;

const install = (...args: string[]) => spawnSync("sh", [script, ...args], { encoding: "utf8" });

/** The user steward of the scratch root's passwd file. */
function stewardUser(root: string) {
  const line = readFileSync(join(root, "etc/passwd"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("steward:"));
  if (!line) return null;
  const [, , uid, gid, , home, shell] = line.split(":");
  return { uid: Number(uid), gid: Number(gid), home, shell };
}

describe.skipIf(!asRoot)("install/panel.sh (as root, into a scratch root)", () => {
  const root = mkdtempSync(join(tmpdir(), "steward-panel-root-"));
  const lib = join(root, "usr/local/lib/steward");
  let first: ReturnType<typeof install>;
  let panel: ChildProcess | null = null;

  let release: BuiltRelease;

  beforeAll(async () => {
    chmodSync(root, 0o755); // the user steward reaches the release under it
    // the release tarball (npm run build:release; kept while nothing it holds changed)
    release = await buildRelease();
    first = install("--release", release.file, "--sha256", release.sha256, "--root", root);
  }, 600_000); // a first build of the release: a minute or two (more under load)
  afterAll(() => {
    panel?.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  });

  it("is shellcheck clean", () => {
    const r = spawnSync("shellcheck", ["-s", "sh", script], { encoding: "utf8" });
    expect(r.error, "shellcheck is installed (.ci/run)").toBeUndefined();
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("creates the user, the directories, the release, the command and the units", () => {
    expect(first.stderr).toContain(`installed Steward`);
    expect(first.status).toBe(0);
    const user = stewardUser(root);
    expect(user).toMatchObject({ home: "/var/lib/steward", shell: "/usr/sbin/nologin" });
    expect(user?.uid).toBeLessThan(1000); // a system user
    for (const dir of ["var/lib/steward", "var/log/steward"]) {
      const st = statSync(join(root, dir));
      expect({ dir, uid: st.uid, mode: st.mode & 0o777 }).toEqual({
        dir,
        uid: user?.uid,
        mode: 0o700,
      });
    }
    // the release belongs to root and is not writable by the panel's user
    const main = statSync(join(lib, "panel/apps/cli/src/main.ts"));
    expect([main.uid, main.mode & 0o022]).toEqual([0, 0]);
    expect(statSync(join(lib, "node/bin/node")).mode & 0o111).toBe(0o111);
    for (const unit of ["steward.service", "steward-agent.service"])
      expect(readFileSync(join(root, "etc/systemd/system", unit), "utf8")).toBe(
        readFileSync(join(repo, "install/systemd", unit), "utf8"),
      );
    expect(readFileSync(join(root, "usr/local/bin/steward"), "utf8")).toContain(
      "/usr/local/lib/steward/panel/apps/cli/src/main.ts",
    );
  });

  it("installs the release's runtime only: no tests, no development dependencies", () => {
    const panelDir = join(lib, "panel");
    for (const kept of [
      "apps/web/dist/index.html",
      `dist/agent/${release.version}/steward-agent-linux-${process.arch}`,
      "node_modules/fastify/package.json",
      "node_modules/@steward/server/package.json",
    ])
      expect(existsSync(join(panelDir, kept)), kept).toBe(true);
    for (const left of [
      "apps/server/src/db/migrate.test.ts",
      "apps/web/src",
      "packages/testkit",
      "node_modules/vitest",
      "node_modules/typescript",
      "node_modules/vite",
      "node_modules/react",
      "node_modules/rolldown",
      ".cache",
      "node",
    ])
      expect(existsSync(join(panelDir, left)), left).toBe(false);
  });

  it("writes units systemd-analyze verify accepts with the installed paths", () => {
    // the scratch root gets systemd's own units (sysinit.target...) for the dependencies
    cpSync("/lib/systemd/system", join(root, "usr/lib/systemd/system"), { recursive: true });
    const units = ["steward.service", "steward-agent.service"].map((u) =>
      join(root, "etc/systemd/system", u),
    );
    const r = spawnSync("systemd-analyze", ["verify", `--root=${root}`, ...units], {
      encoding: "utf8",
    });
    expect(r.error, "systemd-analyze is installed").toBeUndefined();
    // an unknown or misspelt setting is only a warning: none is allowed
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const panelUnit = readFileSync(units[0] as string, "utf8");
    for (const line of [
      "User=steward",
      "ProtectSystem=strict",
      "ReadWritePaths=/var/lib/steward /var/log/steward",
      "NoNewPrivileges=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=\n",
      "Environment=STEWARD_LOCAL_AGENT=0",
    ])
      expect(panelUnit).toContain(line);
    expect(readFileSync(units[1] as string, "utf8")).not.toMatch(/^User=/m);
  });

  it("installs a panel that serves as the unprivileged user steward", async () => {
    const user = stewardUser(root);
    if (!user) throw new Error("no user steward");
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: "/nonexistent",
      STEWARD_DATA_DIR: join(root, "var/lib/steward"),
      STEWARD_PORT: String(port),
      STEWARD_LOCAL_AGENT: "0",
      STEWARD_LOG_LEVEL: "warn",
    };
    panel = spawn(join(lib, "node/bin/node"), [join(lib, "panel/apps/cli/src/main.ts"), "serve"], {
      env,
      uid: user.uid,
      gid: user.gid,
      stdio: "ignore",
    });
    await expect
      .poll(
        async () => {
          if (panel?.exitCode !== null) throw new Error(`the panel exited: ${panel?.exitCode}`);
          return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status;
        },
        { timeout: 120_000, interval: 200 },
      )
      .toBe(200);
    // its database, made by the user steward, in the data directory only it can read
    expect(statSync(join(root, "var/lib/steward/steward.db")).uid).toBe(user.uid);
    // the console and the single-file agent of the release, served
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/`)).headers.get("content-type")).toMatch(/text\/html/);
    const agentFile = `steward-agent-linux-${process.arch}`;
    const sum = await fetch(`${base}/install/agent/${release.version}/${agentFile}.sha256`);
    expect(await sum.text()).toBe(
      readFileSync(join(lib, "panel/dist/agent", release.version, `${agentFile}.sha256`), "utf8"),
    );
    // as the unit says (STEWARD_LOCAL_AGENT=0): no agent as its child, none enrolled
    const pid = panel.pid ?? 0;
    expect(readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim()).toBe("");
    expect(existsSync(join(root, "var/lib/steward/agent"))).toBe(false);
    panel.kill("SIGTERM");
    await new Promise((r) => panel?.once("exit", r));
    panel = null;
  }, 180_000);

  it("runs again without changing the user or the data (upgrade, repair)", () => {
    const before = stewardUser(root);
    const db = statSync(join(root, "var/lib/steward/steward.db"));
    const again = install("--release", release.file, "--root", root);
    expect(again.stderr).toContain("installed Steward");
    expect(again.status).toBe(0);
    expect(stewardUser(root)).toEqual(before);
    expect(readFileSync(join(root, "etc/passwd"), "utf8").match(/^steward:/gm)).toHaveLength(1);
    expect(statSync(join(root, "var/lib/steward/steward.db")).ino).toBe(db.ino);
    // no copy of the release is left beside the installed one
    for (const left of ["panel.new", "panel.old", "node.new", "node.old"])
      expect(existsSync(join(lib, left))).toBe(false);
  }, 180_000);

  it("refuses hostile options before writing anything, naming the option", () => {
    const scratch = join(tmpdir(), `steward-panel-hostile-${process.pid}`);
    // a release tarball whose published checksum is not its own
    const tarball = join(root, "steward-0.0.0.tar.gz");
    writeFileSync(tarball, "not the release");
    const other = createHash("sha256").update("the release").digest("hex");
    const cases: [string[], RegExp][] = [
      [["--root", `${scratch};touch /tmp/x`], /--root must be a plain absolute path/],
      [["--root", `${scratch}/../etc`], /--root must be a plain absolute path/],
      [["--root", "relative/dir"], /--root must be an absolute path/],
      [["--root", `${scratch}\nx`], /--root must be a plain absolute path/],
      [["--root", `${scratch}/\`id\``], /--root must be a plain absolute path/],
      [["--root"], /--root needs a value/],
      [["--release", "/tmp/a b.tar.gz", "--root", scratch], /--release must be a plain/],
      [["--release", "/nonexistent.tar.gz", "--root", scratch], /--release .* is not a file/],
      [["--from", "/etc", "--root", scratch], /\/etc is not a release/],
      [["--release", tarball, "--sha256", other, "--root", scratch], /--sha256 does not match/],
      [["--release", tarball, "--sha256", "abc;id", "--root", scratch], /--sha256 must be 64/],
      [
        ["--release", tarball, "--sha256", other.toUpperCase(), "--root", scratch],
        /--sha256 must be 64/,
      ],
      [["--sha256", other, "--root", scratch], /--sha256 goes with --release/],
      [["--bogus"], /unknown option --bogus/],
    ];
    for (const [args, message] of cases) {
      const r = install(...args);
      expect({ args, status: r.status, stderr: r.stderr }).toMatchObject({
        args,
        status: 1,
        stderr: expect.stringMatching(message),
      });
    }
    expect(existsSync(scratch)).toBe(false);
    rmSync(tarball);
  });

  it("--uninstall keeps the data; --purge removes it and the user", () => {
    const keep = install("--root", root, "--uninstall");
    expect(keep.status).toBe(0);
    expect(existsSync(join(root, "etc/systemd/system/steward.service"))).toBe(false);
    expect(existsSync(join(root, "usr/local/bin/steward"))).toBe(false);
    expect(existsSync(lib)).toBe(false);
    expect(existsSync(join(root, "var/lib/steward/steward.db"))).toBe(true);
    const purge = install("--root", root, "--uninstall", "--purge");
    expect(purge.status).toBe(0);
    expect(existsSync(join(root, "var/lib/steward"))).toBe(false);
    expect(stewardUser(root)).toBeNull();
    // and again: nothing left to remove is not an error
    expect(install("--root", root, "--uninstall", "--purge").status).toBe(0);
  }, 180_000);
});
