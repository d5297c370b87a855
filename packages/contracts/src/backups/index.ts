export * from "./destinations.ts";
export * from "./metadata.ts";
