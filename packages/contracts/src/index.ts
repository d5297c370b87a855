export * from "./access.ts";
export * as agent from "./agent/index.ts";
export * from "./api/index.ts";
export * from "./errors.ts";
export * as notifications from "./notifications/index.ts";
export * from "./pagination.ts";
export * as v from "./validators.ts";
