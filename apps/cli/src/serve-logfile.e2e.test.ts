// `steward serve` with STEWARD_LOG_FILE: JSON logs go to the file (mode 0600, its directory
// created), not to stdout; after an outside rotation renames it, SIGHUP reopens a fresh file.
// SQLite only: nothing here depends on the database.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { captureOutput, removeDataDirs, spawnServe, tempDataDir, warmUp } from "./testing/cli.ts";

let child: ChildProcessWithoutNullStreams | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  removeDataDirs();
});

it("writes its log file, and reopens it on SIGHUP after a rotation", async () => {
  await warmUp();
  const dataDir = tempDataDir("steward-logfile-");
  const file = join(dataDir, "logs", "steward.log");
  const port = await freePort();
  const proc = spawnServe(dataDir, port, { STEWARD_LOG_FILE: file });
  child = proc;
  const output = captureOutput(proc);
  const exited = new Promise((r) => proc.on("exit", r));
  const url = `http://127.0.0.1:${port}`;
  const text = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
  const eventually = (check: () => boolean | Promise<boolean>) =>
    expect
      .poll(check, { timeout: 60_000, interval: 50, message: `${output.stdout}\n${output.stderr}` })
      .toBe(true);
  const traced = async () => {
    const id = `log-${randomUUID()}`;
    const res = await fetch(`${url}/healthz`, { headers: { "x-request-id": id } });
    expect(res.status).toBe(200);
    return id;
  };

  await eventually(async () => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200);
  await eventually(() => text(file).includes('"setupToken"'));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(output.stderr).toContain("steward: serving");

  const before = await traced();
  await eventually(() => text(file).includes(before));
  renameSync(file, `${file}.1`);
  proc.kill("SIGHUP");
  await eventually(() => existsSync(file));
  const after = await traced();
  await eventually(() => text(file).includes(after));
  expect(text(file)).not.toContain(before);
  expect(text(`${file}.1`)).toContain(before);
  expect(text(`${file}.1`)).not.toContain(after);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(output.stdout).toBe(""); // nothing on stdout: the file has it all

  proc.kill("SIGTERM");
  await exited;
  expect(text(file)).toContain('"shutting down"');
}, 120_000);
