// `npm run bench:explorer [-- --json] [--objects N] [--page N] [--only local,s3]`: the storage
// explorer's listing (`listObjects`, what backup.destination.list runs) paging through a
// destination of N artifacts (default 300), each with a valid sidecar: a node's directory and
// s3rver (started hermetically by @steward/testkit). Per kind: ms per page, and the live memory
// (heap and array buffers after a full collection, sampled after each page) above where it
// started. Progress on stderr; stdout the table, or with --json only
// {"results":[{"kind","objects","page","pages","msPerPage","memoryMiB"}]}.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { type Destination, listObjects, openDestination } from "@steward/agent/backups";
import { liveMemory } from "@steward/agent/memory";
import { type DestinationSettings, destinationSettings } from "@steward/contracts/backups";
import { startS3rver } from "@steward/testkit";

const KINDS = ["local", "s3"] as const;
type Kind = (typeof KINDS)[number];
const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    objects: { type: "string", default: "300" },
    page: { type: "string", default: "100" },
    only: { type: "string", default: KINDS.join(",") },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const objects = Number(values.objects);
const page = Number(values.page);
if (!Number.isInteger(objects) || objects < 1)
  throw new Error("--objects takes a whole number ≥ 1");
if (!Number.isInteger(page) || page < 1 || page > 1000) throw new Error("--page takes 1 to 1000");
const only = values.only.split(",") as Kind[];
for (const k of only) if (!KINDS.includes(k)) throw new Error(`--only: no kind ${k}`);

export interface Result {
  kind: Kind;
  objects: number;
  page: number;
  pages: number;
  msPerPage: number;
  memoryMiB: number;
}

const sidecar = (name: string) =>
  JSON.stringify({
    format: "steward-backup/1",
    artifact: name,
    source: { kind: "files", nodeId: null, description: "/srv/www", producer: "tar 1.35" },
    planId: "bkp_bench",
    compression: { algorithm: "zstd", level: 3 },
    encryption: null,
    sourceBytes: 4096,
    bytes: 1024,
    sha256: "0".repeat(64),
    startedAt: "2026-12-06T00:00:00Z",
    finishedAt: "2026-12-06T00:00:01Z",
  });

async function fill(destination: Destination) {
  const body = Buffer.alloc(1024);
  for (let i = 0; i < objects; i++) {
    const name = `www-${String(i).padStart(7, "0")}.tar.zst`;
    await destination.put(Readable.from([body]), name);
    await destination.put(Readable.from([Buffer.from(sidecar(name))]), `${name}.meta.json`);
  }
}

async function measure(kind: Kind, settings: DestinationSettings): Promise<Result> {
  const destination = openDestination(settings);
  try {
    say(`${kind}: writing ${objects} artifacts and sidecars`);
    await fill(destination);
    const memory = liveMemory();
    let after: string | undefined;
    let pages = 0;
    const started = performance.now();
    do {
      const answer = await listObjects(destination, { after, limit: page });
      if (answer.objects.some((o) => o.sidecar === null)) throw new Error("a sidecar was not read");
      after = answer.next ?? undefined;
      pages++;
      memory.sample();
    } while (after);
    const msPerPage = (performance.now() - started) / pages;
    say(`${kind}: ${pages} pages, ${msPerPage.toFixed(0)} ms a page`);
    const memoryMiB = memory.growth() / 1024 / 1024;
    return { kind, objects, page, pages, msPerPage: round(msPerPage), memoryMiB: round(memoryMiB) };
  } finally {
    await destination.close();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const dir = mkdtempSync(join(tmpdir(), "stw-bench-explorer-"));
const results: Result[] = [];
try {
  if (only.includes("local"))
    results.push(
      await measure(
        "local",
        destinationSettings.parse({ kind: "local", nodeId: "nod_bench", path: join(dir, "disk") }),
      ),
    );
  if (only.includes("s3")) {
    const s3 = await startS3rver();
    try {
      const settings = destinationSettings.parse({
        kind: "s3",
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        prefix: "explorer",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      results.push(await measure("s3", settings));
    } finally {
      await s3.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
else {
  process.stdout.write("kind   objects  page  pages  ms/page  live MiB\n");
  for (const r of results)
    process.stdout.write(
      `${r.kind.padEnd(6)} ${String(r.objects).padStart(7)}  ${String(r.page).padStart(4)}  ${String(r.pages).padStart(5)}  ${String(r.msPerPage).padStart(7)}  ${String(r.memoryMiB).padStart(8)}\n`,
    );
}
