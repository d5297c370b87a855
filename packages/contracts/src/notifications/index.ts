export * from "./channels.ts";
