export * from "./api.ts";
export * from "./names.ts";
