export * from "./channels.ts";
export * from "./databases.ts";
export * from "./files.ts";
export * from "./mail.ts";
export * from "./monitors.ts";
export * from "./names.ts";
export * from "./parse.ts";
export * from "./status-pages.ts";
