// The task kinds Steward itself ships; services.ts registers them on the engine.
import type { Registry } from "../registry.ts";
import { type LogrotateDeps, logrotateTask } from "./logrotate.ts";
import { noopTask } from "./noop.ts";

/** What the built-in handlers need, passed in (no globals). */
export type BuiltinDeps = LogrotateDeps;

export function registerBuiltins(registry: Registry, deps: BuiltinDeps) {
  registry.register(logrotateTask(deps));
  registry.register(noopTask());
}
