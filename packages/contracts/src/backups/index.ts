export * from "./api.ts";
export * from "./destinations.ts";
export * from "./metadata.ts";
export * from "./plans-api.ts";
export * from "./restore.ts";
export * from "./run.ts";
export * from "./self.ts";
export * from "./sources.ts";
