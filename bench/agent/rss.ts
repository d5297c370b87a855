// `npm run bench:agent [-- --wait 20] [--json]`: the agent's idle memory (budget 60 MB RSS).
// Starts the single-file agent (`steward-agent`, npm run build:agent: built first, or reused)
// and `steward agent` from the sources on a test directory (test PKI, 127.0.0.1), waits,
// reads VmRSS and how much of it is the executable's own pages; next to them, the floor: an
// idle node and a bare node:https mTLS server with no Steward code at all. --json prints
// {"results": [{system, rssMb, anonMb, binaryMb, ratio?}]}: "floor" (the mTLS server),
// "steward-agent" (its ratio to the floor), "steward agent (sources)", "node (idle)".
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { makeTestPki } from "@steward/agent/testing";
import { buildAgent } from "@steward/cli/build-agent";

const { values } = parseArgs({
  options: { wait: { type: "string", default: "20" }, json: { type: "boolean", default: false } },
});
const waitMs = Number(values.wait) * 1000;
const root = resolve(import.meta.dirname, "../..");
const cli = join(root, "apps/cli/src/main.ts");
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

const work = mkdtempSync(join(tmpdir(), "steward-bench-agent-"));
const dir = join(work, "agent");
const pki = await makeTestPki("node_bench");
const { mkdirSync } = await import("node:fs");
mkdirSync(dir, { mode: 0o700 });
for (const [f, pem] of [
  ["agent.key", pki.agent.key],
  ["agent.crt", pki.agent.cert],
  ["ca.crt", pki.ca],
  ["panel.crt", pki.panel.cert],
])
  writeFileSync(join(dir, f as string), pem as string, { mode: 0o600 });
writeFileSync(
  join(dir, "agent.json"),
  JSON.stringify({
    nodeId: "node_bench",
    panelUrl: "http://127.0.0.1:1",
    listen: { host: "127.0.0.1", port: 0 },
  }),
);
const bare = join(work, "bare.mjs");
writeFileSync(
  bare,
  `import { createServer } from "node:https"; import { readFileSync as r } from "node:fs";
const d = ${JSON.stringify(`${dir}/`)};
createServer({ key: r(d + "agent.key"), cert: r(d + "agent.crt"), ca: [r(d + "ca.crt")], requestCert: true },
  (q, s) => s.end()).listen(0, "127.0.0.1");`,
);

/** VmRSS and the executable's share of it (file-backed, shared with every process of it). */
function memoryOf(pid: number, executable: string) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  const anon = Number(/RssAnon:\s+(\d+)/.exec(status)?.[1]);
  let binary = 0;
  let current = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) current = m[1] ?? "";
    else if (line.startsWith("Rss:") && current === executable)
      binary += Number(line.split(/\s+/)[1]);
  }
  return {
    rssMb: Math.round(rss / 1024),
    anonMb: Math.round(anon / 1024),
    binaryMb: Math.round(binary / 1024),
  };
}

async function measure(
  name: string,
  argv: string[],
  env: Record<string, string> = {},
  executable = process.execPath,
) {
  const child = spawn(executable, argv, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await new Promise((r) => setTimeout(r, waitMs));
  const m = memoryOf(child.pid as number, executable);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  say(`${name}: ${m.rssMb} MB`);
  return { name, ...m };
}

say("building the single-file agent (reused when unchanged)");
const single = (await buildAgent()).binaries[process.arch] as string;
const agent = [cli, "agent", "--dir", dir];
const idle = await measure("node, idle", ["-e", "setInterval(() => {}, 1000)"]);
const floor = await measure("node:https mTLS server, no Steward code (floor)", [bare]);
const singleRow = await measure(
  "steward-agent (single file, npm run build:agent)",
  ["run", "--dir", dir],
  {},
  single,
);
// `steward agent` starts itself again with its V8 flags (apps/cli/src/main.ts): every start
// of it has them, so there is no row without
const first = await measure("steward agent (sources), first start (fills its cache)", agent);
const restart = await measure("steward agent (sources), restart (compile cache)", agent);
const rows = [idle, floor, singleRow, first, restart];
rmSync(work, { recursive: true, force: true });

const mb = ({ rssMb, anonMb, binaryMb }: (typeof rows)[number]) => ({ rssMb, anonMb, binaryMb });
const ratio = Math.round((singleRow.rssMb / floor.rssMb) * 100) / 100;
if (values.json) {
  const results = [
    { system: "floor", ...mb(floor) },
    { system: "steward-agent", ...mb(singleRow), ratio },
    { system: "steward agent (sources)", ...mb(restart) },
    { system: "node (idle)", ...mb(idle) },
  ];
  process.stdout.write(`${JSON.stringify({ results })}\n`);
} else {
  const pad = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(
    `\nidle RSS after ${values.wait} s (budget 60 MB; "private": anonymous memory, this process's own; "executable": its file's mapped pages, shared and reclaimable)\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${r.name.padEnd(pad)}  ${String(r.rssMb).padStart(4)} MB   private ${r.anonMb} MB   executable ${r.binaryMb} MB\n`,
    );
  process.stdout.write(`steward-agent / floor: ${ratio}\n`);
}
