// The update kinds of the CMS fleet: each site's safe upgrade and the global scan that pushes it.
import type { Engine } from "../../engine/engine.ts";
import type { Registry } from "../../engine/registry.ts";
import { cmsUpgradeTask } from "./safe-update.ts";
import type { CmsTaskDeps } from "./tasks.ts";
import { cmsUpgradeScanTask } from "./upgrade-scan.ts";

export function registerUpgradeTasks(registry: Registry, deps: CmsTaskDeps & { engine: Engine }) {
  registry.register(cmsUpgradeTask(deps));
  registry.register(cmsUpgradeScanTask(deps));
}
