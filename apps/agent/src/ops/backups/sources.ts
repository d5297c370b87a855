// One entry for every kind of backup source (contract `backupSourceSpec`): it opens the source
// as a stream and says what it is for the artifact's sidecar. The `backup.run` operation calls
// only this; each kind lives in its own file (files.ts, source-postgres.ts, source-mariadb.ts,
// source-mongodb.ts). Names are checked with the shared validators before any process starts.
import type { Readable } from "node:stream";
import {
  type ArtifactSource,
  type BackupSourceSpec,
  backupSourceProblems,
} from "@steward/contracts/backups";
import type { LocalDatabases } from "../databases/apply.ts";
import { OpFailure } from "../types.ts";
import { fileSource } from "./files.ts";

export interface OpenedSource {
  stream: Readable;
  info: ArtifactSource;
  /** what the source had to say once its stream ended (refused symlinks, changed files…) */
  warnings: () => string[];
  /**
   * The stream is already zstd frames at `level` (a dump tool piped into the `zstd` program);
   * `sourceBytes` the plain bytes the tool wrote (final once the stream ended)
   */
  compressed?: { level: number; sourceBytes: () => number };
}

export interface SourceContext {
  nodeId: string | null;
  /** GNU tar, from the agent's configuration */
  tar?: string;
  /** the node's own database servers (agent.json `databases`); null in the panel */
  databases?: LocalDatabases | null;
  /** where pg_dump, mariadb-dump and mongodump are looked up (default: the system's) */
  toolPath?: string;
  /** the zstd level the backup is made at: a database dump is then compressed at its source */
  compressionLevel?: number;
}

export async function openBackupSource(
  spec: BackupSourceSpec,
  context: SourceContext,
): Promise<OpenedSource> {
  const [problem] = backupSourceProblems(spec);
  if (problem)
    throw new OpFailure("OP_INPUT_INVALID", `${problem.path.join(".")} ${problem.message}`);
  const tools = {
    ...(context.toolPath ? { path: context.toolPath } : {}),
    compressionLevel: context.compressionLevel,
  };
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
    case "database": {
      // the drivers load with the first database source, not with the agent
      const { accessOf } = await import("../databases/apply.ts");
      const access = accessOf(spec, context.databases ?? null);
      return spec.engine === "postgres"
        ? (await import("./source-postgres.ts")).postgresSource(spec, access, context.nodeId, tools)
        : (await import("./source-mariadb.ts")).mariadbSource(spec, access, context.nodeId, tools);
    }
    case "mongodb":
      return (await import("./source-mongodb.ts")).mongodbSource(spec, context.nodeId, tools);
  }
}
