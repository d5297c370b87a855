export * from "./address.ts";
export * from "./policy.ts";
export * from "./target.ts";
