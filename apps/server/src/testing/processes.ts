// Process checks for tests in other workspaces (`@steward/server/testing/processes`).
export { alive } from "../agents/orphan.ts";
