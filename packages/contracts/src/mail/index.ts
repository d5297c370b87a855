export * from "./api.ts";
export * from "./autoconfig.ts";
export * from "./names.ts";
export * from "./spam.ts";
