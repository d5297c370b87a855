// sysusers.apply's quotaMb as root with real system users. Where the kernel enforces user
// quotas: a 64 MB ext4 image (`mkfs.ext4 -O quota`) loop-mounted with usrquota holds the
// homes; a 1 MiB quota makes a 2 MiB write as the user fail with EDQUOT, repquota shows the
// limit, raising it lets the write through, null removes it. Everywhere: a home on a
// filesystem without user quotas answers "unsupported", which is not an error.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { operations } from "@steward/contracts/agent";
import type { SysUsersApplyInput, SysUsersApplyOutput } from "@steward/contracts/hosting";
import { missing } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { sysUsersApply } from "./apply.ts";
import { parseRepquota } from "./quota.ts";

const TOOLS = [
  "/usr/sbin/useradd",
  "/usr/sbin/mkfs.ext4",
  "/usr/sbin/setquota",
  "/dev/loop-control",
];
const root = process.getuid?.() === 0 && TOOLS.every((t) => existsSync(t));
if (!root) missing(`root with ${TOOLS.join(", ")}`, "the test mounts a quota filesystem");

const base = root ? mkdtempSync("/srv/stw-quota-") : "";
// the users walk down to their homes
if (base) chmodSync(base, 0o755);
const mnt = join(base, "mnt");
const tag = randomBytes(3).toString("hex");
const Q = `stwtest-q${tag}`;
const N = `stwtest-n${tag}`;

/** Mounts the quota filesystem; false (and why, on stderr) when the kernel cannot. */
function mountQuotaFs(): boolean {
  if (!root) return false;
  const img = join(base, "fs.img");
  execFileSync("/usr/bin/truncate", ["-s", "64M", img]);
  execFileSync("/usr/sbin/mkfs.ext4", ["-q", "-O", "quota", img]);
  mkdirSync(mnt);
  const m = spawnSync("/usr/bin/mount", ["-o", "loop,usrquota", img, mnt]);
  if (m.status === 0) return true;
  process.stderr.write(
    `quota-set.test: skipping the enforced-quota test: this kernel cannot mount ext4 with user quotas (${m.stderr.toString().trim().split("\n")[0]}; it needs CONFIG_QUOTA and CONFIG_QFMT_V2)\n`,
  );
  return false;
}
const quotaFs = mountQuotaFs();

const config = (homeRoot: string) =>
  parseConfig(join(base, "agent"), {
    nodeId: "test-node",
    panelUrl: "https://panel.test:7443",
    systemd: false,
    hosting: {
      homeRoot,
      keysDir: join(base, "keys"),
      sshd: { configFile: join(base, "no-sshd_config") },
      ftp: { purePw: join(base, "no-pure-pw") },
    },
  });

const account = (name: string, quotaMb: number | null): SysUsersApplyInput => ({
  id: `acc_${name}`,
  present: true,
  main: { name, shell: "none", ftp: false, keys: [], passwordHash: null, quotaMb },
  secondary: [],
  remove: [],
  deleteFiles: false,
});

async function apply(homeRoot: string, input: SysUsersApplyInput) {
  const r = await runOperation(sysUsersApply, input, {
    config: config(homeRoot),
    requestId: `t-${randomBytes(3).toString("hex")}`,
  });
  expect(r.status, JSON.stringify(r.error)).toBe("ok");
  return { ...(r.output as SysUsersApplyOutput), changed: r.changed };
}

/** Writes `mib` MiB as the user into its home; the exit code and dd's complaint. */
function writeAs(out: SysUsersApplyOutput, mib: number) {
  const u = out.users[0] as { uid: number; gid: number };
  rmSync(join(out.home, "big.bin"), { force: true });
  const r = spawnSync("/usr/bin/setpriv", [
    `--reuid=${u.uid}`,
    `--regid=${u.gid}`,
    "--clear-groups",
    "--",
    "/usr/bin/dd",
    "if=/dev/zero",
    `of=${join(out.home, "big.bin")}`,
    "bs=1M",
    `count=${mib}`,
    "conv=fsync",
  ]);
  return { code: r.status, stderr: r.stderr.toString() };
}

const limitOf = (uid: number) =>
  parseRepquota(
    execFileSync("/usr/sbin/repquota", ["-u", "-n", "-O", "csv", mnt], { encoding: "utf8" }),
  ).get(uid);

afterAll(() => {
  for (const name of [Q, `${Q}-cgi`, N, `${N}-cgi`])
    spawnSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
  if (quotaFs) spawnSync("/usr/bin/umount", ["-d", mnt], { stdio: "ignore" });
  if (base) rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!root)("sysusers.apply's quotaMb", () => {
  it("answers unsupported where the home's filesystem has no user quotas on", async () => {
    const out = await apply(join(base, "plain"), account(N, 1));
    expect(out.quota).toBe("unsupported");
    expect(out.notes.join("\n")).toMatch(/no user quotas on|no quota tools/);
    // nothing enforced: the 2 MiB write goes through
    const written = writeAs(out, 2);
    expect(written.code, written.stderr).toBe(0);
    expect((await apply(join(base, "plain"), account(N, 1))).changed).toBe(false);
    const { quotaMb: _, ...untouched } = account(N, null).main;
    expect(
      await apply(join(base, "plain"), { ...account(N, null), main: untouched }),
    ).not.toHaveProperty("quota");
  });

  it("refuses a hostile quotaMb, naming it", () => {
    const contract = operations["sysusers.apply"].input;
    const input = account(N, 1);
    for (const bad of [-1, 1.5, 16_777_217, Number.NaN, "1", "1; rm -rf /", true]) {
      const r = contract.safeParse({ ...input, main: { ...input.main, quotaMb: bad } });
      expect(r.error?.issues[0]?.path, String(bad)).toEqual(["main", "quotaMb"]);
    }
    expect(
      contract.safeParse({ ...input, main: { ...input.main, quotaMb: 16_777_216 } }).success,
    ).toBe(true);
  });

  it.skipIf(!quotaFs)("enforces the quota with setquota, raises it and removes it", async () => {
    const out = await apply(join(mnt, "home"), account(Q, 1));
    expect(out.quota).toBe("set");
    const uid = (out.users[0] as { uid: number }).uid;
    expect(limitOf(uid)).toMatchObject({ bytesSoft: 1024 * 1024, bytesHard: 1024 * 1024 });
    const refused = writeAs(out, 2);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Disk quota exceeded/);
    // the same again changes nothing
    expect((await apply(join(mnt, "home"), account(Q, 1))).changed).toBe(false);

    await apply(join(mnt, "home"), account(Q, 8));
    expect(limitOf(uid)).toMatchObject({ bytesHard: 8 * 1024 * 1024 });
    const written = writeAs(out, 2);
    expect(written.code, written.stderr).toBe(0);

    await apply(join(mnt, "home"), account(Q, null));
    expect(limitOf(uid)).toMatchObject({ bytesSoft: 0, bytesHard: 0 });
  });
});
