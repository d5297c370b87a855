export * from "./api.ts";
export * from "./names.ts";
export * from "./query.ts";
export * from "./query-check.ts";
export * from "./query-library.ts";
export * from "./servers.ts";
export * from "./settings.ts";
