// `@steward/agent/databases`: the database engines' adapters, run by the agent for a node's
// own server and by the panel for an external one (one implementation, one executor).
export type { EngineAdapter } from "./adapter.ts";
export { accessOf, applyDatabaseAction } from "./apply.ts";
export * from "./manage.ts";
export {
  type ConsoleStatement,
  QueryError,
  type QueryPage,
  queryPage,
  type RowSink,
  streamStatement,
} from "./query.ts";
export { runDatabaseAction } from "./run.ts";
export type { Credentials, Place } from "./session.ts";
