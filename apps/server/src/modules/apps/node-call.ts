// An operation the panel runs on a node while a request waits (lifecycle actions, logs,
// stats, the engine's disk usage and prune): the agent's refusal is a 409 with its words, a
// node that does not answer a 503 (NOT_READY). Deploys are tasks instead (tasks.ts).
import type { agent } from "@steward/contracts";
import type { AgentClient } from "../../agents/client.ts";
import { AppError, conflict } from "../../lib/errors.ts";

/** a request waits at most this long for its node */
const CALL_TIMEOUT_MS = 60_000;

export interface NodeCaller {
  run<N extends agent.OperationName>(
    nodeId: string,
    name: N,
    input: unknown,
  ): Promise<agent.OpOutput<N>>;
}

export function nodeCaller(agents: () => Promise<AgentClient>): NodeCaller {
  return {
    async run(nodeId, name, input) {
      let result: agent.OpResult;
      try {
        result = await (await agents()).runOperation(nodeId, name, input, {
          signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new AppError("NOT_READY", `the node's agent did not answer: ${message}`);
      }
      if (result.status !== "ok")
        throw conflict(`the node refused: ${result.error?.message ?? result.status}`);
      return result.output as never;
    },
  };
}
