export * from "./actions.ts";
export * from "./api.ts";
export * from "./names.ts";
export * from "./servers.ts";
export * from "./settings.ts";
export * from "./views.ts";
