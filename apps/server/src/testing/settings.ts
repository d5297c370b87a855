// The environment variables of Steward's settings, from their definitions alone: a test that
// strips them from a child's environment (apps/cli/src/testing/cli.ts) need not load the
// server (~2 s of import in each test file that only runs the CLI).
import { settingDefs } from "../config/schema.ts";

export const settingEnvNames: string[] = Object.values(settingDefs).map((d) => d.env);
