// `@steward/agent/testing`: test and bench support, never loaded by the agent itself. Other
// workspaces (the server's integration tests, the CLI's tests, bench/) import it by this name
// instead of reaching into apps/agent/src by a relative path.

// The pieces of the operation framework bench/sites, bench/backups, bench/sysusers and bench/cron drive
// directly, without an HTTP agent.
export { backupRestore } from "../ops/backups/handlers.ts";
export { certChallenge, certInstall, certRequest } from "../ops/certs/index.ts";
export { cronApply } from "../ops/cron/apply.ts";
export { cronRun } from "../ops/cron/run.ts";
export { runOperation } from "../ops/framework.ts";
export { probeRcpt } from "../ops/mail/smtp-probe.ts";
export { siteApply } from "../ops/sites/apply.ts";
export { loadNginx } from "../ops/sites/nginx.ts";
export { documentRoot, sitePaths } from "../ops/sites/paths.ts";
export { renderSite } from "../ops/sites/render.ts";
export { sysUsersApply } from "../ops/sysusers/apply.ts";
export { mountOf } from "../ops/sysusers/quota.ts";
export type { OpContext } from "../ops/types.ts";
export * from "./agent.ts";
export * from "./dns.ts";
export * from "./enroll-panel.ts";
export * from "./mail.ts";
export * from "./node.ts";
export * from "./pki.ts";
export * from "./quota-tools.ts";
