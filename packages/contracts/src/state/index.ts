export * from "./files.ts";
export * from "./parse.ts";
export * from "./mail.ts";
