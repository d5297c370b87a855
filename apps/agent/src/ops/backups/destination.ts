// One interface for every kind of destination: put a stream under a name (counting what it
// stores; the pipeline hashes the bytes once, before its tee), get it back as a stream, list,
// delete, and test (write, read back, delete a probe object). A put resolves only once the
// destination has the whole object: an upload it accepted and then failed to complete is a
// rejected put, never a success.
import { randomBytes } from "node:crypto";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface StoredObject {
  name: string;
  bytes: number;
  /** when the destination says it was last written (null: it does not say) */
  modifiedAt: Date | null;
}

/** What a put stored: its bytes, counted as they passed (and checked where the server says). */
export interface Stored {
  bytes: number;
}

export interface Destination {
  put(stream: Readable, name: string): Promise<Stored>;
  get(name: string): Promise<Readable>;
  list(prefix?: string): Promise<StoredObject[]>;
  delete(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A stream's bytes counted as it is read, for a put to return (no hash: see above). */
export function counted(stream: Readable): { body: Readable; result: () => Stored } {
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  // pipeline, not pipe: a stream destroyed before the put began still fails the body
  pipeline(stream, meter).catch(() => undefined);
  return { body: meter, result: () => ({ bytes }) };
}

/** Reads a whole (small) stream: only for probe objects and sidecars. */
export async function readSmall(stream: Readable, limit = 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  await pipeline(stream, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit)
        throw new Error(`more than ${limit} bytes where a small object was expected`);
      parts.push(chunk);
    }
  });
  return Buffer.concat(parts);
}

export interface TestResult {
  ok: boolean;
  /** which step failed: write, read, compare, delete */
  step?: "write" | "read" | "compare" | "delete";
  message?: string;
}

/** "Test destination": write a probe object, read it back, compare, delete it. */
export async function testDestination(destination: Destination): Promise<TestResult> {
  const name = `.steward-probe-${randomBytes(6).toString("hex")}`;
  const content = randomBytes(1024);
  const { Readable: ReadableStream } = await import("node:stream");
  let step: NonNullable<TestResult["step"]> = "write";
  try {
    await destination.put(ReadableStream.from([content]), name);
    step = "read";
    const back = await readSmall(await destination.get(name));
    step = "compare";
    if (!back.equals(content))
      throw new Error("the probe object read back differs from what was written");
    step = "delete";
    await destination.delete(name);
    return { ok: true };
  } catch (error) {
    if (step !== "write" && step !== "delete")
      await destination.delete(name).catch(() => undefined);
    return { ok: false, step, message: (error as Error).message };
  }
}
