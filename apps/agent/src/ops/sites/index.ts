// Websites (C8): site.apply and site.remove on nginx and PHP-FPM.
export { siteApply } from "./apply.ts";
export { siteMigrate } from "./migrate.ts";
export { siteRemove } from "./remove.ts";
