export * from "./api.ts";
export * from "./git.ts";
export * from "./git-api.ts";
export * from "./names.ts";
