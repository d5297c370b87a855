export * from "./api.ts";
export * from "./dkim.ts";
export * from "./autoresponder.ts";
export * from "./names.ts";
export * from "./usage.ts";
