export * from "./api.ts";
export * from "./names.ts";
export * from "./dkim.ts";
