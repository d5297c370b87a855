export * from "./databases.ts";
export * from "./ports.ts";
export * from "./postgres.ts";
export * from "./system.ts";
