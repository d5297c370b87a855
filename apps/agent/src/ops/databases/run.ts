// The panel's side of the one executor: an external server's action runs in the panel inside
// the agent's own operation framework (steps recorded, undone on failure), exactly as the
// agent runs `database.apply`; the answer is the same OpResult either way.
import type { OpResult } from "@steward/contracts/agent";
import { type DatabaseApplyInput, databaseApplyInput } from "@steward/contracts/databases";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { type LogLine, runOperation } from "../framework.ts";
import { applyDatabaseAction } from "./apply.ts";

let config: AgentConfig | undefined;
/** The framework's context wants a configuration; the panel's action reads none of it. */
const panelConfig = () => {
  config ??= parseConfig("/nonexistent", {
    nodeId: "panel",
    panelUrl: "https://panel.invalid",
    systemd: false,
  });
  return config;
};

const panelOp = {
  name: "database.apply",
  // no local server in the panel: a local target is refused (CONFIG)
  run: (ctx: Parameters<typeof applyDatabaseAction>[0], input: DatabaseApplyInput) =>
    applyDatabaseAction(ctx, input, null),
};

/** Runs one database action here, as the agent would. */
export function runDatabaseAction(
  input: DatabaseApplyInput,
  o: { requestId: string; signal?: AbortSignal; onLog?: (line: LogLine) => void },
): Promise<OpResult> {
  return runOperation(panelOp, databaseApplyInput.parse(input), {
    config: panelConfig(),
    requestId: o.requestId,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onLog ? { onLog: o.onLog } : {}),
  });
}
