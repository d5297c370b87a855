// One entry for every kind of backup source (contract `backupSourceSpec`): it opens the source
// as a stream and says what it is for the artifact's sidecar. The `backup.run` operation calls
// only this; each kind lives in its own file (files.ts; the database dumps beside it).
import type { Readable } from "node:stream";
import type { ArtifactSource, BackupSourceSpec } from "@steward/contracts/backups";
import { fileSource } from "./files.ts";

export interface OpenedSource {
  stream: Readable;
  info: ArtifactSource;
  /** what the source had to say once its stream ended (refused symlinks, changed files…) */
  warnings: () => string[];
}

export interface SourceContext {
  nodeId: string | null;
  /** GNU tar, from the agent's configuration */
  tar?: string;
}

export async function openBackupSource(
  spec: BackupSourceSpec,
  context: SourceContext,
): Promise<OpenedSource> {
  switch (spec.kind) {
    case "files": {
      const source = fileSource({ root: spec.path, excludes: spec.excludes, tar: context.tar });
      return {
        stream: source.stream,
        info: { kind: "files", nodeId: context.nodeId, description: spec.path, producer: "tar" },
        warnings: () => [
          ...source.refused.map((p) => `left out ${p}: a symlink leaving the source`),
          ...source.warnings,
        ],
      };
    }
    case "database":
    case "mongodb":
      throw new Error(`${spec.kind} sources are not built yet`);
  }
}
