// A destination from its settings (secrets already opened by the caller).
import type { DestinationSettings } from "@steward/contracts/backups";
import type { Destination } from "./destination.ts";
import { ftpDestination } from "./ftp.ts";
import { localDestination } from "./local.ts";
import { s3Destination } from "./s3.ts";
import { sftpDestination } from "./sftp.ts";

export function openDestination(settings: DestinationSettings): Destination {
  switch (settings.kind) {
    case "local":
      return localDestination(settings);
    case "s3":
      return s3Destination(settings);
    case "ftp":
      return ftpDestination(settings);
    case "sftp":
      return sftpDestination(settings);
  }
}
