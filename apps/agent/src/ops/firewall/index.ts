import type { AgentConfig } from "../../config.ts";
import { startBans, stopBans } from "./bans.ts";
import { resumePending, stopTimer } from "./pending.ts";

export { firewallApply, firewallConfirm, firewallRead, firewallUnblock } from "./ops.ts";

type Log = (level: "info" | "warn" | "error", message: string) => void;

/** At the agent's start: a pending apply reverts in time, SSH bans are watched again. */
export async function startFirewall(config: AgentConfig, log: Log) {
  await resumePending(config, log);
  await startBans(config, log);
}

/** At the agent's stop: its timers end (a pending apply's file stays for the next start). */
export function stopFirewall(config: AgentConfig) {
  stopTimer(config);
  stopBans(config);
}
