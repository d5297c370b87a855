// The storage explorer's calls to a destination: a node's directory through its agent (the
// operations backup.destination.list and .delete: only the node reads and writes there), the
// other kinds by the panel itself with the same code (`@steward/agent/backups`, loaded with the
// first call), their host judged by the outbound policy first, as for "test destination".
import {
  type BackupDestinationListInput,
  type BackupDestinationListOutput,
  backupDestinationDeleteOutput,
  backupDestinationListOutput,
  type OpResult,
} from "@steward/contracts/agent";
import type { DestinationSettings } from "@steward/contracts/backups";
import type { OutboundPolicy } from "@steward/contracts/net";
import { AppError, invalid } from "../../lib/errors.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { destinationTargets, type RunOnNode } from "./destination-test.ts";

type ListInput = Omit<BackupDestinationListInput, "settings">;

export interface DestinationCalls {
  list(input: ListInput): Promise<BackupDestinationListOutput>;
  /** deletes artifacts and their sidecars; answers the names deleted */
  remove(names: string[]): Promise<string[]>;
}

const unreadable = (error: unknown) =>
  new AppError(
    "NOT_READY",
    `the destination could not be reached: ${(error instanceof Error ? error.message : String(error)).slice(0, 500)}`,
  );

function answerOf(result: OpResult) {
  if (result.status !== "ok")
    throw unreadable(new Error(result.error?.message ?? `the operation ${result.status}`));
  return result.output;
}

export function destinationCalls(
  settings: DestinationSettings,
  policy: OutboundPolicy,
  runOnNode: RunOnNode,
): DestinationCalls {
  if (settings.kind === "local") {
    const ask = async (
      name: "backup.destination.list" | "backup.destination.delete",
      input: object,
    ) =>
      answerOf(
        await runOnNode(
          settings.nodeId,
          name,
          { settings, ...input },
          {
            signal: AbortSignal.timeout(120_000),
          },
        ).catch((error) => {
          throw unreadable(error);
        }),
      );
    return {
      list: async (input) =>
        backupDestinationListOutput.parse(await ask("backup.destination.list", input)),
      remove: async (names) =>
        backupDestinationDeleteOutput.parse(await ask("backup.destination.delete", { names }))
          .deleted,
    };
  }
  const withDestination = async <T>(
    work: (d: import("@steward/agent/backups").Destination) => Promise<T>,
  ): Promise<T> => {
    const refused = await refuseFields(destinationTargets(settings), policy);
    if (refused) throw invalid("destination", `${refused.field}: ${refused.message}`);
    const { openDestination } = await import("@steward/agent/backups");
    const destination = openDestination(settings);
    try {
      return await work(destination);
    } catch (error) {
      throw unreadable(error);
    } finally {
      await destination.close();
    }
  };
  return {
    list: (input) =>
      withDestination(async (d) => {
        const { listObjects } = await import("@steward/agent/backups");
        return listObjects(d, { limit: 100, ...input });
      }),
    remove: (names) =>
      withDestination(async (d) => {
        const { deleteObjects } = await import("@steward/agent/backups");
        return (await deleteObjects(d, names)).deleted;
      }),
  };
}
