// `steward backup export --out -`: a destination for the pipeline that writes the artifact to
// standard output (never a terminal) and its sidecar to the `--meta` file, claimed before the
// export began. It only receives: get, list and delete have nothing to read from a pipe.
import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { counted, type Destination } from "@steward/agent/backups";
import { SIDECAR_SUFFIX } from "@steward/contracts/backups";

export function stdoutDestination(artifact: string, metaFile: string): Destination {
  const writeOnly = async (): Promise<never> => {
    throw new Error("standard output is written, never read");
  };
  return {
    async put(stream: Readable, name: string) {
      const { body, result } = counted(stream);
      if (name === `${artifact}${SIDECAR_SUFFIX}`)
        await pipeline(body, createWriteStream(metaFile, { flags: "w", mode: 0o600 }));
      else if (name === artifact) await pipeline(body, process.stdout, { end: false });
      else throw new Error(`${name}: only ${artifact} and its sidecar go to standard output`);
      return result();
    },
    get: writeOnly,
    list: writeOnly,
    delete: writeOnly,
    async close() {},
  };
}
