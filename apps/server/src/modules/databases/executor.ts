// The panel's one executor of database actions (contracts' databaseAction): a node's own
// server, and an external one reached through a node (viaNodeId), get the action as the
// agent operation `database.apply`; an external server the panel reaches runs the same code
// here, inside the agent's framework (@steward/agent/databases runDatabaseAction). Either way
// the answer is an OpResult: ok with its output, or failed after the undo of what it did.
import { randomUUID } from "node:crypto";
import {
  type DatabaseActionInput,
  type DatabaseApplyOutput,
  databaseApplyInput,
  databaseApplyOutput,
} from "@steward/contracts/databases";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { AgentClient } from "../../agents/client.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import { AppError, conflict, invalid } from "../../lib/errors.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import { targetOf } from "./access.ts";
import type { ServerRow } from "./repo.ts";

export interface ExecutorDeps {
  secrets: Secrets;
  /** the agents' client (loads the task engine's part on first use) */
  agents: () => Promise<AgentClient>;
  /** the outbound policy of the server's account */
  outbound: (accountId: string | null) => OutboundPolicy;
}

/** Why an action did not run or failed: the policy, the node, or the server's refusal. */
export class ActionFailed extends AppError {
  readonly kind: "policy" | "node" | "server";
  constructor(kind: ActionFailed["kind"], error: AppError) {
    super(error.code, error.message, error.details);
    this.kind = kind;
  }
}

export function createExecutor(deps: ExecutorDeps) {
  return async function execute(
    row: ServerRow,
    action: DatabaseActionInput,
    requestId: string = randomUUID(),
  ): Promise<DatabaseApplyOutput> {
    const { target, nodeId } = targetOf(row, deps.secrets);
    if (target.kind === "external") {
      const refused = await refuseFields(
        [{ field: "host", url: [target.host, target.port] }],
        deps.outbound(row.account_id),
      );
      if (refused) throw new ActionFailed("policy", invalid("host", refused.message));
    }
    const input = databaseApplyInput.parse({ engine: row.engine, server: target, action });
    let result: Awaited<ReturnType<AgentClient["runOperation"]>>;
    if (nodeId === null) {
      // the drivers load with the first action, not with the panel
      const { runDatabaseAction } = await import("@steward/agent/databases");
      result = await runDatabaseAction(input, { requestId });
    } else {
      try {
        result = await (await deps.agents()).runOperation(nodeId, "database.apply", input, {
          requestId,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ActionFailed(
          "node",
          new AppError("NOT_READY", `the node's agent did not run the action: ${message}`),
        );
      }
    }
    if (result.status !== "ok")
      throw new ActionFailed(
        "server",
        conflict(
          `the database server did not do it: ${result.error?.message ?? result.status} (nothing was left half-made)`,
        ),
      );
    return databaseApplyOutput.parse(result.output ?? {});
  };
}

export type Execute = ReturnType<typeof createExecutor>;

type PolicySettings = Parameters<typeof monitorPolicy>[0];
/** The outbound policy of a server's account (docs/security.md). */
export const outboundOf = (settings: object) => (accountId: string | null) =>
  monitorPolicy(settings as PolicySettings, accountId);
