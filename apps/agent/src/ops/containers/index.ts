export { containerAction } from "./action.ts";
export { composeAction, composeDown } from "./compose-down.ts";
export { composeUp } from "./compose-up.ts";
export { containerDeploy } from "./deploy.ts";
export { engineDiskUsage, enginePrune } from "./disk.ts";
export { containerList } from "./list.ts";
export { containerLogs } from "./logs.ts";
export { containerStats } from "./stats.ts";
