// A destination from its settings (secrets already opened by the caller).
import type { DestinationSettings } from "@steward/contracts/backups";
import type { Destination } from "./destination.ts";
import { ftpDestination } from "./ftp.ts";
import { localDestination } from "./local.ts";
import { s3Destination } from "./s3.ts";

export interface OpenOptions {
  /** extra CA certificates (PEM) a TLS server (FTPS) may chain to */
  ca?: string;
}

export function openDestination(
  settings: DestinationSettings,
  options: OpenOptions = {},
): Destination {
  switch (settings.kind) {
    case "local":
      return localDestination(settings);
    case "s3":
      return s3Destination(settings);
    case "ftp":
      return ftpDestination(settings, options);
    case "sftp":
      throw new Error("SFTP destinations are not available yet");
  }
}
