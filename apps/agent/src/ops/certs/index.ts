export { certChallenge } from "./challenge.ts";
export { certInstall } from "./install.ts";
export { certRequest } from "./request.ts";
