// Real useradd/userdel on this machine (the tests run as root in CI): a throwaway user.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../config.ts";
import { runOperation } from "../ops/framework.ts";
import { OpFailure } from "../ops/types.ts";
import { ensureUser, removeUser } from "./users.ts";

const root = process.getuid?.() === 0 && existsSync("/usr/sbin/useradd");
if (!root) {
  if (process.env.STEWARD_REQUIRE_SYSTEM === "1")
    throw new Error("users tests need root and useradd");
  process.stderr.write("agent: skipping the system user tests (they need root and useradd)\n");
}

let dir: string;
let config: AgentConfig;
const name = `stw-t${randomBytes(4).toString("hex")}`;
const inPasswd = () =>
  readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .some((l) => l.startsWith(`${name}:`));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-users-"));
  config = parseConfig(dir, { nodeId: "n", panelUrl: "http://127.0.0.1:1", systemd: false });
});
afterAll(async () => {
  if (root && inPasswd()) {
    const { run } = await import("./exec.ts");
    await run(["/usr/sbin/userdel", "--", name]);
  }
  await rm(dir, { recursive: true, force: true });
});

const op = (fn: Parameters<typeof runOperation>[0]["run"]) =>
  runOperation({ name: "test.users", run: fn }, {}, { config, requestId: "t" });

describe.skipIf(!root)("system users", () => {
  it("creates a nologin system user with a home, once; a rollback removes it", async () => {
    const home = join(dir, name);
    const rolled = await op(async (ctx) => {
      await ctx.phase("stage", () => ensureUser(ctx, name, home));
      await ctx.phase("verify", async () => {
        throw new OpFailure("VERIFY_FAILED", "verification failed");
      });
    });
    expect(rolled.status).toBe("rolled_back");
    expect(inPasswd()).toBe(false);

    const made = await op((ctx) => ensureUser(ctx, name, home));
    expect(made).toMatchObject({ status: "ok", changed: true, output: { name, created: true } });
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${name}:`));
    expect(line?.endsWith(`:${home}:/usr/sbin/nologin`)).toBe(true);
    expect(existsSync(home)).toBe(true);
    const step = made.steps.find((s) => s.name === `create user ${name}`);
    expect(step?.command).toEqual([
      "/usr/sbin/useradd",
      "--system",
      "--user-group",
      "--create-home",
      "--home-dir",
      home,
      "--shell",
      "/usr/sbin/nologin",
      "--",
      name,
    ]);

    const again = await op((ctx) => ensureUser(ctx, name, home));
    expect(again).toMatchObject({ status: "ok", changed: false, output: { created: false } });

    const removed = await op((ctx) => removeUser(ctx, name));
    expect(removed).toMatchObject({ status: "ok", changed: true, output: true });
    expect(inPasswd()).toBe(false);
  });

  it("refuses a name that is not a system user name before running anything", async () => {
    const r = await op((ctx) => ensureUser(ctx, "-o; rm -rf /", join(dir, "x")));
    expect(r).toMatchObject({ status: "failed", error: { code: "OP_INPUT_INVALID" } });
    expect(r.steps).toEqual([]);
  });
});
