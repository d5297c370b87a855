// The storage explorer's reading of a destination: one page of its objects in name order, each
// with its sidecar (read a few at a time) or why it has none, and on request the SHA-256 of the
// object itself, hashed as it streams (the import compares it with the sidecar's). The listing
// is the destination's own (names and sizes); only the page's sidecars and objects are read.
import { pipeline } from "node:stream/promises";
import type { BackupDestinationListOutput, DestinationObject } from "@steward/contracts/agent";
import { artifactName, SIDECAR_SUFFIX } from "@steward/contracts/backups";
import type { Destination, StoredObject } from "./destination.ts";
import { measure } from "./measure.ts";
import { readSidecar } from "./restore.ts";

/** Sidecars (or objects, when hashing) read at once. */
const PARALLEL = 4;

export interface ListObjectsInput {
  prefix?: string;
  after?: string;
  limit: number;
  names?: string[];
  hash?: boolean;
}

/** Runs `work` on every item, at most `parallel` at once, answers in the items' order. */
async function inParallel<T, R>(items: T[], parallel: number, work: (item: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < items.length; at = next++) out[at] = await work(items[at] as T);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return out;
}

async function sha256Of(destination: Destination, name: string): Promise<string> {
  const meter = measure();
  await pipeline(
    await destination.get(name),
    meter.stream,
    async (bytes: AsyncIterable<Buffer>) => {
      for await (const _ of bytes);
    },
  );
  return meter.result().sha256;
}

async function describe(
  destination: Destination,
  object: StoredObject,
  hasSidecar: boolean,
  hash: boolean,
): Promise<DestinationObject> {
  let sidecar: DestinationObject["sidecar"] = null;
  let sidecarProblem: string | null = null;
  if (!artifactName.safeParse(object.name).success) sidecarProblem = "not an artifact name";
  else if (!hasSidecar) sidecarProblem = "no sidecar";
  else
    try {
      sidecar = await readSidecar(destination, object.name);
      if (sidecar.artifact !== object.name) {
        sidecarProblem = `the sidecar is invalid: it describes ${sidecar.artifact}`;
        sidecar = null;
      }
    } catch (error) {
      sidecarProblem = `the sidecar is invalid: ${(error as Error).message.slice(0, 300)}`;
    }
  return {
    name: object.name,
    bytes: object.bytes,
    modifiedAt: object.modifiedAt?.toISOString() ?? null,
    sidecar,
    sidecarProblem,
    sha256: hash ? await sha256Of(destination, object.name) : null,
  };
}

const byName = (a: StoredObject, b: StoredObject) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

export async function listObjects(
  destination: Destination,
  input: ListObjectsInput,
): Promise<BackupDestinationListOutput> {
  const all = await destination.list(input.prefix ?? "");
  const sidecars = new Set(all.filter((o) => o.name.endsWith(SIDECAR_SUFFIX)).map((o) => o.name));
  let page: StoredObject[];
  let next: string | null = null;
  if (input.names) {
    const wanted = new Set(input.names);
    page = all.filter((o) => wanted.has(o.name)).sort(byName);
  } else {
    const after = input.after;
    const rest = all
      .filter((o) => !o.name.endsWith(SIDECAR_SUFFIX) && (after === undefined || o.name > after))
      .sort(byName);
    page = rest.slice(0, input.limit);
    if (rest.length > input.limit) next = page.at(-1)?.name ?? null;
  }
  const objects = await inParallel(page, PARALLEL, (o) =>
    describe(destination, o, sidecars.has(`${o.name}${SIDECAR_SUFFIX}`), input.hash === true),
  );
  return { objects, next };
}

/** Deletes each artifact, then its sidecar (a missing one is not an error). */
export async function deleteObjects(destination: Destination, names: string[]) {
  const deleted: string[] = [];
  for (const name of names) {
    await destination.delete(name);
    await destination.delete(`${name}${SIDECAR_SUFFIX}`);
    deleted.push(name);
  }
  return { deleted };
}
