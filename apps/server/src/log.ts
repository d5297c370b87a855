import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";
import type { Settings } from "./config/schema.ts";

/**
 * JSON logs on stdout, or in `logFile` when it is set; secrets in known places never reach
 * them. The file (mode 0600: logs name users and addresses) can be reopened after rotation.
 */
export function createLogger(
  settings: Pick<Settings, "logLevel"> & Partial<Pick<Settings, "logFile">>,
): Logger {
  return pino(
    {
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
    },
    settings.logFile ? fileDestination(settings.logFile) : undefined,
  );
}

/** marks a destination with the path it writes (sonic-boom knows it only once opened) */
const PATH = Symbol("steward.logPath");

function fileDestination(file: string): DestinationStream {
  const dest = resolve(file);
  mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
  const stream = pino.destination({ dest, mode: 0o600, append: true, sync: false });
  return Object.assign(stream, { [PATH]: dest });
}

/** The file a logger writes to, and how to reopen it; null when it writes to a descriptor. */
export interface LogFile {
  path: string;
  /** opens the path again: after a rotation renamed it, new lines go to a fresh file */
  reopen(): void;
}

interface Reopenable {
  [PATH]?: string;
  reopen?: (file?: string) => void;
}

/** The file of a logger made by createLogger with `logFile`; null for any other logger. */
export function logFileOf(log: Logger): LogFile | null {
  const stream = (log as unknown as Record<symbol, Reopenable | undefined>)[pino.symbols.streamSym];
  const path = stream?.[PATH];
  if (typeof path !== "string" || typeof stream?.reopen !== "function") return null;
  return { path, reopen: () => stream.reopen?.() };
}
