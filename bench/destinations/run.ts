// `npm run bench:destinations [-- --json] [--mib N] [--only local,s3,sftp,ftp]`: each kind of
// backup destination against its real server (a directory, s3rver, pure-ftpd with explicit
// FTPS, a chrooted OpenSSH sshd), started hermetically by @steward/testkit: a put of N MiB
// (default 256) generated as it is read, then a get hashed as it is read; MB/s of each and
// the live memory each held at most (heap and array buffers after a full collection, sampled
// every 4 MiB). Progress on stderr; stdout the table, or with --json only
// {"results":[{"kind","mib","putMBps","getMBps","putMemoryMiB","getMemoryMiB"}]}.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { openDestination } from "@steward/agent/backups";
import { type LiveMemory, liveMemory } from "@steward/agent/memory";
import { type DestinationSettings, destinationSettings } from "@steward/contracts/backups";
import { startFtp, startS3rver, startSftp } from "@steward/testkit";

const KINDS = ["local", "s3", "sftp", "ftp"] as const;
type Kind = (typeof KINDS)[number];
const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    mib: { type: "string", default: "256" },
    only: { type: "string", default: KINDS.join(",") },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const mib = Number(values.mib);
if (!Number.isInteger(mib) || mib < 1) throw new Error("--mib takes a whole number ≥ 1");
const only = values.only.split(",") as Kind[];
for (const k of only) if (!KINDS.includes(k)) throw new Error(`--only: no kind ${k}`);

export interface Result {
  kind: Kind;
  mib: number;
  putMBps: number;
  getMBps: number;
  putMemoryMiB: number;
  getMemoryMiB: number;
}

const BLOCK = 64 * 1024;
const SAMPLE = 4 * 1024 * 1024;

function source(size: number, memory: LiveMemory): Readable {
  const block = randomBytes(BLOCK);
  let made = 0;
  return new Readable({
    read() {
      if (made >= size) return void this.push(null);
      block.writeUInt32BE(made, 0);
      made += BLOCK;
      if (made % SAMPLE === 0) memory.sample();
      this.push(Buffer.from(block));
    },
  });
}

async function drain(stream: Readable, memory: LiveMemory): Promise<number> {
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(stream, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      if (Math.floor((bytes + chunk.length) / SAMPLE) > Math.floor(bytes / SAMPLE)) memory.sample();
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return bytes;
}

interface Running {
  settings: DestinationSettings;
  stop(): Promise<void>;
}

async function start(kind: Kind): Promise<Running | null> {
  switch (kind) {
    case "local": {
      const dir = mkdtempSync(join(tmpdir(), "stw-bench-dest-"));
      return {
        settings: destinationSettings.parse({ kind, nodeId: "bench", path: join(dir, "b") }),
        stop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    }
    case "s3": {
      const s3 = await startS3rver();
      const { endpoint, bucket, accessKeyId, secretAccessKey } = s3;
      return {
        settings: destinationSettings.parse({
          kind,
          endpoint,
          bucket,
          accessKeyId,
          secretAccessKey,
        }),
        stop: () => s3.stop(),
      };
    }
    case "sftp": {
      const sftp = await startSftp();
      if (!sftp) return null;
      const { host, port, username, password, hostKey } = sftp;
      return {
        settings: destinationSettings.parse({ kind, host, port, username, password, hostKey }),
        stop: () => sftp.stop(),
      };
    }
    case "ftp": {
      const ftp = await startFtp();
      if (!ftp) return null;
      const { host, port, username, password, ca } = ftp;
      return {
        settings: destinationSettings.parse({ kind, host, port, username, password, ca }),
        stop: () => ftp.stop(),
      };
    }
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

async function measure(kind: Kind): Promise<Result | null> {
  const running = await start(kind);
  if (!running) return null;
  try {
    const destination = openDestination(running.settings);
    const size = mib * 1024 * 1024;
    const putMemory = liveMemory();
    let at = performance.now();
    await destination.put(source(size, putMemory), "bench.bin");
    const putS = (performance.now() - at) / 1000;
    const getMemory = liveMemory();
    at = performance.now();
    const got = await drain(await destination.get("bench.bin"), getMemory);
    const getS = (performance.now() - at) / 1000;
    if (got !== size) throw new Error(`${kind}: read back ${got} bytes of ${size}`);
    await destination.delete("bench.bin");
    await destination.close();
    return {
      kind,
      mib,
      putMBps: round(size / 1e6 / putS),
      getMBps: round(size / 1e6 / getS),
      putMemoryMiB: round(putMemory.growth() / 1024 / 1024),
      getMemoryMiB: round(getMemory.growth() / 1024 / 1024),
    };
  } finally {
    await running.stop();
  }
}

const results: Result[] = [];
for (const kind of only) {
  say(`${kind}: ${mib} MiB put and get`);
  const result = await measure(kind);
  if (result) results.push(result);
  else say(`${kind}: its server is not available here, left out`);
}
if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
else {
  process.stdout.write("kind   MiB  put MB/s  get MB/s  put mem MiB  get mem MiB\n");
  for (const r of results)
    process.stdout.write(
      `${r.kind.padEnd(6)} ${String(r.mib).padStart(4)}  ${String(r.putMBps).padStart(8)}  ${String(r.getMBps).padStart(8)}  ${String(r.putMemoryMiB).padStart(11)}  ${String(r.getMemoryMiB).padStart(11)}\n`,
    );
}
