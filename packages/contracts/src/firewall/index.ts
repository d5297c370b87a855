export * from "./api.ts";
export * from "./lockout.ts";
export * from "./rules.ts";
