export * from "./api.ts";
export * from "./channels.ts";
export * from "./events.ts";
export * from "./list.ts";
export * from "./messages.ts";
export * from "./rules.ts";
export * from "./rules-api.ts";
export * from "./samples.ts";
