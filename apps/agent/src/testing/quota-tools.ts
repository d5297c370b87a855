// The strict recording fake of the quota tools (fake-quota-tools.mjs) set up for a test: three
// executables (quotaon, repquota, setquota) in a directory of the test's, each a Node script
// naming the fake, with the fake's state beside them. Used where no filesystem can have user
// quotas on (this CI's kernel has no CONFIG_QFMT_V2): the agent's real code runs against it
// through its config (hosting.quotaon, hosting.repquota, hosting.setquota).
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FAKE = fileURLToPath(new URL("./fake-quota-tools.mjs", import.meta.url));

export interface FakeQuotaCall {
  tool: "quotaon" | "repquota" | "setquota";
  argv: string[];
  code: number;
}

export interface FakeQuotaTools {
  /** the executables, as the agent's config takes them */
  quotaon: string;
  repquota: string;
  setquota: string;
  /** every call so far, in order */
  calls(): FakeQuotaCall[];
  /** the setquota calls so far (argv) */
  setquotaCalls(): string[][];
  /** each uid's limits: [block soft, block hard (1 KiB blocks), inode soft, inode hard] */
  limits(): Record<string, number[]>;
  /** user quotas on (the device named) or off for a mount point */
  mount(point: string, device: string | null): void;
  /** a tool's executable (to run it as the agent would not, checking the fake refuses it) */
  path(tool: FakeQuotaCall["tool"]): string;
}

/**
 * Writes the fake into `dir`: `mounts` are the mount points with user quotas on (and their
 * device), `roots` the directories whose files count as used (repquota lists a uid only when
 * it uses something there).
 */
export function fakeQuotaTools(
  dir: string,
  o: { mounts: Record<string, string>; roots: string[] },
): FakeQuotaTools {
  const state = join(dir, "fake-quota.json");
  const log = join(dir, "calls.jsonl");
  writeFileSync(state, JSON.stringify({ mounts: o.mounts, roots: o.roots, limits: {} }));
  writeFileSync(log, "");
  const path = (tool: string) => join(dir, tool);
  for (const tool of ["quotaon", "repquota", "setquota"]) {
    writeFileSync(path(tool), `#!${process.execPath}\nawait import(${JSON.stringify(FAKE)});\n`);
    chmodSync(path(tool), 0o755);
  }
  const read = () => JSON.parse(readFileSync(state, "utf8"));
  const calls = (): FakeQuotaCall[] =>
    existsSync(log)
      ? readFileSync(log, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  return {
    quotaon: path("quotaon"),
    repquota: path("repquota"),
    setquota: path("setquota"),
    path,
    calls,
    setquotaCalls: () => calls().flatMap((c) => (c.tool === "setquota" ? [c.argv] : [])),
    limits: () => read().limits,
    mount(point, device) {
      const s = read();
      if (device === null) delete s.mounts[point];
      else s.mounts[point] = device;
      writeFileSync(state, JSON.stringify(s));
    },
  };
}
