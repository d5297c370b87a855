// The agent's answer to one of the cron module's operations (cron.apply, cron.run,
// cron.collect), its log lines in the task's log; a refusal is a PermanentError.
import type { agent } from "@steward/contracts";
import { type HandlerContext, PermanentError } from "../../engine/types.ts";
import type { CallOperation } from "../system-users/tasks.ts";

/** The agent's answer, or a PermanentError with its message. */
export async function called(
  call: CallOperation,
  nodeId: string,
  name: agent.OperationName,
  input: unknown,
  ctx: Pick<HandlerContext<unknown>, "signal" | "log" | "task">,
) {
  const result = await call(nodeId, name, input, {
    signal: ctx.signal,
    onLog: (line, level) => ctx.log[level](line),
    requestId: ctx.task.id,
  });
  if (result.status !== "ok")
    throw new PermanentError(result.error?.message ?? `the node answered ${result.status}`);
  return result;
}
