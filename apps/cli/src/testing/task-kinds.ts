// Loaded with `node --import` before the CLI in its tests: the task kinds of the server's tests.
import { registerTestKinds } from "../../../server/src/testing/task-kinds.ts";
import { serviceExtensions } from "../context.ts";

serviceExtensions.push((svc) => registerTestKinds(svc.engine.registry));
