export { containerAction } from "./action.ts";
export { containerBuild } from "./build.ts";
export { containerDeploy } from "./deploy.ts";
export { engineDiskUsage, enginePrune } from "./disk.ts";
export { containerList } from "./list.ts";
export { containerLogs } from "./logs.ts";
export { containerRetire } from "./retire.ts";
export { containerStats } from "./stats.ts";
