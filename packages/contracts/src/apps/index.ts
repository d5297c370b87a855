export * from "./api.ts";
export * from "./compose.ts";
export * from "./names.ts";
