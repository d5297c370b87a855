export * from "./agent.ts";
export * from "./api.ts";
export * from "./cron.ts";
export * from "./cron-api.ts";
export * from "./cron-runs.ts";
export * from "./ftp-tls.ts";
export * from "./names.ts";
export * from "./usage.ts";
