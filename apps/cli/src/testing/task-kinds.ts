// Loaded with `node --import` before the CLI in its tests: the task kinds of the server's tests.
import { registerTestKinds } from "@steward/server/testing/task-kinds";
import { engineExtensions } from "../context.ts";

engineExtensions.push((engine) => registerTestKinds(engine.registry));
