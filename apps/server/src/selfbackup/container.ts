// The plain stream of a Steward export, before zstd and encryption (the format is
// `selfManifest` in @steward/contracts/backups): a magic line, the manifest's length and JSON,
// the small members (master key, settings file), then the database to the end of the stream,
// so a dump of any size passes through without being counted or held first.
import type { Readable } from "node:stream";
import { type SelfManifest, selfManifest } from "@steward/contracts/backups";

const MAGIC = Buffer.from("STWSELF1\n");
const MAX_MANIFEST = 64 * 1024;

export interface Member {
  name: SelfManifest["members"][number]["name"];
  content: Buffer;
}

/** The container as a stream: header, members, then `database`'s bytes. */
export async function* packContainer(
  head: Pick<SelfManifest, "engine" | "producer">,
  members: readonly Member[],
  database: Readable,
): AsyncGenerator<Buffer> {
  const manifest: SelfManifest = selfManifest.parse({
    v: 1,
    ...head,
    members: members.map((m) => ({ name: m.name, bytes: m.content.length })),
  });
  const json = Buffer.from(JSON.stringify(manifest));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  yield Buffer.concat([MAGIC, length, json, ...members.map((m) => m.content)]);
  for await (const chunk of database) yield chunk as Buffer;
}

export class ContainerError extends Error {}

export interface Unpacked {
  manifest: SelfManifest;
  members: Member[];
}

/**
 * Reads a container: the manifest and the members are collected, the database's bytes are
 * handed to `database` (an async consumer of the rest of the stream) once the members are read.
 */
export async function unpackContainer(
  plain: AsyncIterable<Buffer>,
  database: (manifest: SelfManifest, rest: AsyncIterable<Buffer>) => Promise<unknown>,
): Promise<Unpacked> {
  const iterator = plain[Symbol.asyncIterator]();
  let buffered = Buffer.alloc(0);
  const need = async (bytes: number) => {
    while (buffered.length < bytes) {
      const next = await iterator.next();
      if (next.done) throw new ContainerError("the export ends before its header does");
      buffered = Buffer.concat([buffered, next.value]);
    }
  };
  const take = (bytes: number) => {
    const out = buffered.subarray(0, bytes);
    buffered = buffered.subarray(bytes);
    return out;
  };
  await need(MAGIC.length + 4);
  if (!take(MAGIC.length).equals(MAGIC))
    throw new ContainerError("not a Steward export (made by `steward backup export`)");
  const length = take(4).readUInt32BE();
  if (length > MAX_MANIFEST) throw new ContainerError("the export's manifest is too large");
  await need(length);
  const parsed = selfManifest.safeParse(safeJson(take(length).toString("utf8")));
  if (!parsed.success) throw new ContainerError("the export's manifest is not one Steward makes");
  const manifest = parsed.data;
  const members: Member[] = [];
  for (const m of manifest.members) {
    await need(m.bytes);
    members.push({ name: m.name, content: Buffer.from(take(m.bytes)) });
  }
  const first = buffered;
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value;
  }
  await database(manifest, rest());
  return { manifest, members };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
