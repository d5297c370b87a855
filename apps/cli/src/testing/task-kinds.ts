// Loaded with `node --import` before the CLI in its tests: the task kinds of the server's tests.
import { registerTestKinds } from "@steward/server/testing/task-kinds";
import { serviceExtensions } from "../context.ts";

serviceExtensions.push((svc) => registerTestKinds(svc.engine.registry));
