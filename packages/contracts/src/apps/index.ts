export * from "./api.ts";
export * from "./compose.ts";
export * from "./compose-api.ts";
export * from "./git.ts";
export * from "./git-api.ts";
export * from "./names.ts";
