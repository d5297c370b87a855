export * from "./api.ts";
export * from "./dkim.ts";
export * from "./names.ts";
