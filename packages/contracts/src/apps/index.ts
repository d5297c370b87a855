export * from "./api.ts";
export * from "./compose.ts";
export * from "./compose-api.ts";
export * from "./names.ts";
