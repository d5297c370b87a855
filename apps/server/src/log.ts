import pino, { type Logger } from "pino";
import type { Settings } from "./config/schema.ts";

/** JSON logs on stdout; secrets in known places never reach them. */
export function createLogger(settings: Pick<Settings, "logLevel">): Logger {
  return pino({
    level: settings.logLevel,
    base: { service: "steward" },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "password",
        "*.password",
        "token",
        "*.token",
        "key",
        "*.key",
      ],
      censor: "[redacted]",
    },
  });
}
