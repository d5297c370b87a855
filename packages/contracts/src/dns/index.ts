export * from "./names.ts";
export * from "./parse.ts";
export * from "./records.ts";
export * from "./txt.ts";
export * from "./zone.ts";
export * from "./zonefile.ts";
