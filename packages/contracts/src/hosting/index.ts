export * from "./agent.ts";
export * from "./api.ts";
export * from "./names.ts";
