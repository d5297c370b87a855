export * from "./audit.ts";
export * from "./certificates.ts";
export * from "./dashboard.ts";
export * from "./identity.ts";
export * from "./nodes.ts";
export * from "./sites.ts";
export * from "./tasks.ts";
export * from "./tenancy.ts";
