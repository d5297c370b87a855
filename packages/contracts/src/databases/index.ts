export * from "./api.ts";
export * from "./names.ts";
export * from "./servers.ts";
export * from "./settings.ts";
export * from "./query.ts";
export * from "./query-check.ts";
