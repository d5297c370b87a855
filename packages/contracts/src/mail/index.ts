export * from "./api.ts";
export * from "./autoconfig.ts";
export * from "./autoresponder.ts";
export * from "./dkim.ts";
export * from "./names.ts";
export * from "./spam.ts";
export * from "./usage.ts";
export * from "./virus.ts";
