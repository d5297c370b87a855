// sysusers.apply's quotaMb through the agent's real code, as root with real system users,
// against a STRICT RECORDING FAKE of the quota tools (testing/fake-quota-tools.mjs): this
// machine's kernel cannot have user quotas on (no CONFIG_QFMT_V2; quota-set.test.ts holds the
// real-kernel test, skipped here). The fake answers `quotaon -p`, `repquota -O csv` and
// `setquota` in the real tools' words and exit codes, keeps the limits, counts as used what
// each uid owns under the test's homes, records every argv and refuses malformed ones. What
// is checked: the exact setquota argv, nothing set when the limits already match, raising and
// removing a limit, a secondary user's own limit, and "unsupported" when quotas are off.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { SysUsersApplyInput, SysUsersApplyOutput } from "@steward/contracts/hosting";
import { missing } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { fakeQuotaTools } from "../../testing/quota-tools.ts";
import { runOperation } from "../framework.ts";
import { sysUsersApply } from "./apply.ts";
import { mountOf } from "./quota.ts";

const root = process.getuid?.() === 0 && existsSync("/usr/sbin/useradd");
if (!root) missing("root with /usr/sbin/useradd", "the test makes real system users");

const base = root ? mkdtempSync("/srv/stw-quota-fake-") : "";
if (base) chmodSync(base, 0o755);
const homes = join(base, "home");
const tag = randomBytes(3).toString("hex");
const MAIN = `stwtest-f${tag}`;
const TEAM = `stwtest-g${tag}`;
const fake = join(base, "bin");
if (base) mkdirSync(fake);
const tools = root ? fakeQuotaTools(fake, { mounts: {}, roots: [homes] }) : null;
let mount = "/";

const config = () =>
  parseConfig(join(base, "agent"), {
    nodeId: "test-node",
    panelUrl: "https://panel.test:7443",
    systemd: false,
    hosting: {
      homeRoot: homes,
      keysDir: join(base, "keys"),
      sshd: { configFile: join(base, "no-sshd_config") },
      ftp: { purePw: join(base, "no-pure-pw") },
      quotaon: tools?.quotaon,
      repquota: tools?.repquota,
      setquota: tools?.setquota,
    },
  });

const user = (name: string, quotaMb?: number | null) => ({
  name,
  shell: "none" as const,
  ftp: false,
  keys: [],
  passwordHash: null,
  ...(quotaMb === undefined ? {} : { quotaMb }),
});

const account = (quotaMb: number | null | undefined, team?: number | null): SysUsersApplyInput => ({
  id: `acc_${MAIN}`,
  present: true,
  main: user(MAIN, quotaMb),
  secondary: team === undefined ? [] : [{ ...user(TEAM, team), home: "team" }],
  remove: [],
  deleteFiles: false,
});

async function apply(input: SysUsersApplyInput) {
  const r = await runOperation(sysUsersApply, input, {
    config: config(),
    requestId: `t-${randomBytes(3).toString("hex")}`,
  });
  expect(r.status, JSON.stringify(r.error)).toBe("ok");
  return { ...(r.output as SysUsersApplyOutput), changed: r.changed };
}

/** What setquota was run with since the last look. */
let seen = 0;
function newSetquotas() {
  const all = tools?.setquotaCalls() ?? [];
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}

const uidOf = (out: SysUsersApplyOutput, name: string) =>
  String(out.users.find((u) => u.name === name)?.uid);
/** The CGI user's uid (the output lists the account's own users only). */
const cgiUid = () => spawnSync("id", ["-u", `${MAIN}-cgi`], { encoding: "utf8" }).stdout.trim();

beforeAll(async () => {
  if (!root) return;
  // the fake's quotas are on for the filesystem holding the homes, as a real one's would be
  mount = await mountOf(homes);
  tools?.mount(mount, "/dev/fake0");
});

afterAll(() => {
  for (const name of [TEAM, `${MAIN}-cgi`, MAIN])
    spawnSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
  if (base) rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!root)(
  "sysusers.apply's quotaMb against the recording fake of the quota tools",
  () => {
    it("sets exactly `setquota -u UID KiB KiB 0 0 MOUNT`, once", async () => {
      const out = await apply(account(1));
      expect(out.quota).toBe("set");
      const uid = uidOf(out, MAIN);
      const cgi = cgiUid();
      // the CGI user (what the site's PHP writes) gets the main user's limit
      expect(newSetquotas()).toEqual([
        ["-u", uid, "1024", "1024", "0", "0", mount],
        ["-u", cgi, "1024", "1024", "0", "0", mount],
      ]);
      expect(tools?.limits()).toEqual({ [uid]: [1024, 1024, 0, 0], [cgi]: [1024, 1024, 0, 0] });
      // how it knew: quotaon -p for the home's mount, then repquota's CSV of it
      expect(tools?.calls().map((c) => [c.tool, c.argv, c.code])).toEqual([
        ["quotaon", ["-p", "-u", mount], 1],
        ["repquota", ["-u", "-v", "-n", "-O", "csv", mount], 0],
        ["setquota", ["-u", uid, "1024", "1024", "0", "0", mount], 0],
        ["setquota", ["-u", cgi, "1024", "1024", "0", "0", mount], 0],
      ]);
      // the same again: repquota shows the limit, nothing is set
      const again = await apply(account(1));
      expect(again.changed).toBe(false);
      expect(again.quota).toBe("set");
      expect(newSetquotas()).toEqual([]);
    });

    it("raises the limit, gives a secondary user its own, and removes them (null: 0 0)", async () => {
      const raised = await apply(account(8, 3));
      const main = uidOf(raised, MAIN);
      const team = uidOf(raised, TEAM);
      const cgi = cgiUid();
      expect(raised.changed).toBe(true);
      expect(newSetquotas()).toEqual([
        ["-u", main, "8192", "8192", "0", "0", mount],
        ["-u", cgi, "8192", "8192", "0", "0", mount],
        ["-u", team, "3072", "3072", "0", "0", mount],
      ]);
      expect(tools?.limits()).toEqual({
        [main]: [8192, 8192, 0, 0],
        [cgi]: [8192, 8192, 0, 0],
        [team]: [3072, 3072, 0, 0],
      });
      // absent: the secondary user's limit is left as it is
      await apply(account(8, undefined));
      expect(newSetquotas()).toEqual([]);
      await apply(account(null, 0));
      expect(newSetquotas()).toEqual([
        ["-u", main, "0", "0", "0", "0", mount],
        ["-u", cgi, "0", "0", "0", "0", mount],
        ["-u", team, "0", "0", "0", "0", mount],
      ]);
      expect(tools?.limits()).toEqual({});
      expect((await apply(account(null, null))).changed).toBe(false);
      expect(newSetquotas()).toEqual([]);
    });

    it("answers unsupported, setting nothing, when the home's filesystem has no quotas on", async () => {
      tools?.mount(mount, null);
      try {
        const out = await apply(account(5));
        expect(out.quota).toBe("unsupported");
        expect(out.notes.join("\n")).toContain(`${mount} has no user quotas on`);
        expect(newSetquotas()).toEqual([]);
        expect(tools?.calls().at(-1)).toMatchObject({ tool: "quotaon", code: 0 });
      } finally {
        tools?.mount(mount, "/dev/fake0");
      }
    });

    it("is strict: malformed argv is refused as the real tools refuse it, changing nothing", () => {
      const run = (tool: "quotaon" | "repquota" | "setquota", args: string[]) => {
        const r = spawnSync(tools?.path(tool) ?? "", args, { encoding: "utf8" });
        return { code: r.status, err: r.stderr };
      };
      const before = JSON.stringify(tools?.limits());
      expect(run("setquota", ["-u", "0", "x", "1", "0", "0", mount])).toMatchObject({
        code: 1,
        err: expect.stringContaining(
          "Bad block softlimit: x: Unknown space binary unit. Valid units are K, M, G, T.",
        ),
      });
      expect(run("setquota", ["-u", "0", "1", "1", "0", mount]).err).toContain(
        "Bad number of arguments.",
      );
      expect(run("setquota", ["-u", "0", "-1", "1", "0", "0", mount]).err).toContain(
        "invalid option -- '1'",
      );
      expect(run("setquota", ["-u", "no-such-user-x", "1", "1", "0", "0", mount]).err).toContain(
        "user no-such-user-x does not exist.",
      );
      expect(run("setquota", ["-u", "0", "1", "1", "0", "0", "/nowhere"])).toMatchObject({
        code: 1,
        err: expect.stringContaining("/nowhere not found or has no quota enabled"),
      });
      expect(run("repquota", ["-u", "-n", "-O", "yaml", mount]).code).toBe(1);
      expect(run("quotaon", ["-p", "-u"]).err).toContain("Bad number of arguments.");
      expect(JSON.stringify(tools?.limits())).toBe(before);
    });
  },
);
