export * from "./backup-destination.ts";
export * from "./certs.ts";
export * from "./dns.ts";
export * from "./errors.ts";
export * from "./monitors.ts";
export * from "./ops.ts";
export * from "./protocol.ts";
export * from "./sites.ts";
