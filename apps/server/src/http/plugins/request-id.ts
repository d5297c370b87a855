import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Request-Id is accepted when it is a sane token, otherwise generated. */
export function genReqId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && VALID.test(given) ? given : randomUUID();
}
