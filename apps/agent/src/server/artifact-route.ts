// GET /v1/backup-artifacts/read?path=<directory>&name=<artifact>: one artifact (or its sidecar)
// of a node's directory destination as the answer's body, for the panel's download. The
// directory and the name are checked with the destination's own rules (an absolute directory
// without "." or ".." segments; a file name of the artifact alphabet), the file is opened
// without following a symbolic link and must be a regular file (local.ts `openStored`); the
// body is piped with backpressure, so memory stays bounded whatever the size.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { absoluteDir, artifactName } from "@steward/contracts/backups";
import { z } from "zod";
import { HttpError, validationError } from "./http.ts";

export const ARTIFACT_READ_PATH = "/v1/backup-artifacts/read";

const query = z.strictObject({ path: absoluteDir, name: artifactName });

export async function handleArtifactRead(req: IncomingMessage, res: ServerResponse) {
  const params = new URL(req.url ?? "/", "https://agent").searchParams;
  const parsed = query.safeParse(Object.fromEntries(params));
  if (!parsed.success || [...params.keys()].length !== Object.keys(parsed.data).length)
    throw parsed.success
      ? new HttpError("VALIDATION_FAILED", "query: give path and name once each")
      : validationError(parsed.error.issues, "query");
  const { openStored } = await import("../ops/backups/local.ts");
  const opened = await openStored(parsed.data.path, parsed.data.name).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ELOOP" || error.code === "ENOTDIR")
        throw new HttpError("NOT_FOUND", `${parsed.data.name} is not in ${parsed.data.path}`);
      throw error;
    },
  );
  res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": opened.bytes,
    "cache-control": "no-store",
  });
  await pipeline(opened.stream, res);
}
