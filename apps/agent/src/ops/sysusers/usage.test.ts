// sysusers.usage as root with real system users (useradd, marked steward/<main> as
// sysusers.apply marks them): the walk agrees with du (hard links once, symlinks not followed),
// stops at the file limit and says so, measures only this account's users inside its chroot,
// reports that this filesystem has no user quotas on, and refuses hostile names.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { operations } from "@steward/contracts/agent";
import type { SysUsersUsageOutput } from "@steward/contracts/hosting";
import { BAD_SYS_USER_NAMES } from "@steward/contracts/testing";
import { missing } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { parseRepquota } from "./quota.ts";
import { sysUsersUsage } from "./usage.ts";

const root = process.getuid?.() === 0 && existsSync("/usr/sbin/useradd");
if (!root) missing("root with /usr/sbin/useradd", "the test makes real system users");

const base = root ? mkdtempSync("/srv/stw-usage-") : "";
const tag = randomBytes(3).toString("hex");
const A = `stwtest-ua${tag}`;
const B = `stwtest-ub${tag}`;
const alice = `stwtest-ual${tag}`;
const stray = `stwtest-us${tag}`;
const made = [alice, stray, A, B];
const homeA = join(base, "home", A, "home");
const homeAlice = join(homeA, "team", "alice");
const homeB = join(base, "home", B, "home");

const config = root
  ? parseConfig(join(base, "agent"), {
      nodeId: "test-node",
      panelUrl: "https://panel.test:7443",
      systemd: false,
      hosting: { homeRoot: join(base, "home") },
    })
  : null;

const useradd = (name: string, main: string, home: string) =>
  execFileSync("/usr/sbin/useradd", [
    "--no-create-home",
    "--home-dir",
    home,
    "--comment",
    `steward/${main}`,
    "--shell",
    "/usr/sbin/nologin",
    "--",
    name,
  ]);

/** du's figure for a home: bytes on disk, hard links once, symlinks not followed. */
const du = (path: string) =>
  Number(execFileSync("du", ["-s", "-B1", "--", path], { encoding: "utf8" }).split("\t")[0]);

const run = async (input: unknown) =>
  runOperation(sysUsersUsage, input, {
    config: config as NonNullable<typeof config>,
    requestId: `t-${randomBytes(3).toString("hex")}`,
  });
const usage = async (input: unknown) => {
  const r = await run(input);
  expect(r.status, JSON.stringify(r.error)).toBe("ok");
  expect(r.changed).toBe(false);
  return r.output as SysUsersUsageOutput;
};

beforeAll(() => {
  if (!root) return;
  mkdirSync(homeAlice, { recursive: true });
  mkdirSync(homeB, { recursive: true });
  useradd(A, A, homeA);
  useradd(alice, A, homeAlice);
  useradd(B, B, homeB);
  useradd(stray, B, join(base, "elsewhere"));
  writeFileSync(join(homeA, "index.html"), "x".repeat(10_000));
  writeFileSync(join(homeAlice, "notes.txt"), "y".repeat(50_000));
  // one inode, two names: counted once
  writeFileSync(join(homeAlice, "big.bin"), randomBytes(200_000));
  linkSync(join(homeAlice, "big.bin"), join(homeAlice, "big-again.bin"));
  // a link out of the home is counted as a link, never followed
  symlinkSync("/usr", join(homeAlice, "usr"));
  writeFileSync(join(homeB, "other.txt"), "z".repeat(30_000));
});

afterAll(() => {
  for (const name of made)
    try {
      execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
    } catch {} // not made
  if (base) rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!root)("sysusers.usage (disk usage of an account's system users)", () => {
  it("measures each user's home as du does, and says this filesystem has no quotas on", async () => {
    const out = await usage({ main: A, users: [A, alice] });
    const [main, sec] = out.users;
    expect(main).toMatchObject({ name: A, home: homeA, bytes: du(homeA), truncated: false });
    expect(sec).toMatchObject({ name: alice, home: homeAlice, bytes: du(homeAlice) });
    // alice's home, team/, notes.txt, big.bin once, the link; the main home holds hers too
    expect(sec?.files).toBe(4);
    expect(main?.files).toBe(sec ? sec.files + 3 : 0);
    expect(sec?.bytes).toBeGreaterThan(250_000);
    expect(sec?.bytes).toBeLessThan(400_000);
    expect(out.quotas).toBe(false);
    expect(sec?.quota).toBeNull();
    expect(out.notes.join("\n")).toMatch(/no user quotas on|no quota tools/);
  });

  it("stops at the file limit and says the figures are a floor", async () => {
    const out = await usage({ main: A, users: [A], maxFiles: 3 });
    expect(out.users[0]).toMatchObject({ files: 3, truncated: true });
    expect(out.notes.join("\n")).toContain("stopped after 3 files");
  });

  it("answers a user the node lacks with null, refuses another account's and one outside", async () => {
    const gone = `stwtest-ug${tag}`;
    expect((await usage({ main: A, users: [gone] })).users[0]).toEqual({
      name: gone,
      home: null,
      bytes: 0,
      files: 0,
      truncated: false,
      quota: null,
    });
    const other = await run({ main: A, users: [B] });
    expect(other.status).toBe("failed");
    expect(other.error?.code).toBe("NAME_TAKEN");
    expect(other.error?.message).not.toContain(homeB);
    const outside = await run({ main: B, users: [stray] });
    expect(outside.error?.code).toBe("OP_INPUT_INVALID");
    expect(outside.error?.message).toMatch(/outside the account/);
  });

  it("refuses hostile names and limits before anything runs", async () => {
    const contract = operations["sysusers.usage"].input;
    for (const name of BAD_SYS_USER_NAMES) {
      expect(contract.safeParse({ main: name, users: [A] }).success, name).toBe(false);
      const r = await run({ main: A, users: [name] });
      expect(r.status, name).toBe("failed");
      expect(r.error?.code, name).toBe("OP_INPUT_INVALID");
      expect(r.steps, name).toEqual([]);
    }
    for (const bad of [{ main: A, users: [] }, { main: A, users: [A], maxFiles: 0 }, { main: A }])
      expect((await run(bad)).error?.code).toBe("OP_INPUT_INVALID");
  });
});

describe("repquota's CSV", () => {
  it("gives each uid's figures in bytes and files, skipping named and malformed rows", () => {
    const csv = [
      "User,BlockStatus,FileStatus,BlockUsed,BlockSoftLimit,BlockHardLimit,BlockGrace,FileUsed,FileSoftLimit,FileHardLimit,FileGrace",
      "#0,ok,ok,20,0,0,,2,0,0,",
      "#1001,+,ok,1200,1000,2000,6days,15,0,100,",
      "root,ok,ok,1,0,0,,1,0,0,",
      "#1002,ok,ok,x,0,0,,1,0,0,",
    ].join("\n");
    const q = parseRepquota(csv);
    expect([...q.keys()]).toEqual([0, 1001]);
    expect(q.get(1001)).toEqual({
      bytes: 1200 * 1024,
      bytesSoft: 1000 * 1024,
      bytesHard: 2000 * 1024,
      files: 15,
      filesSoft: 0,
      filesHard: 100,
    });
  });
});
