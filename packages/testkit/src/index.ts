export * from "./databases.ts";
export * from "./http.ts";
export * from "./mail.ts";
export * from "./nginx.ts";
export * from "./php-fpm.ts";
export * from "./ports.ts";
export * from "./postgres.ts";
export * from "./system.ts";
