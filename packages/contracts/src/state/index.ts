export * from "./files.ts";
export * from "./parse.ts";
