export * from "./api.ts";
export * from "./locations.ts";
export * from "./series.ts";
export * from "./settings.ts";
