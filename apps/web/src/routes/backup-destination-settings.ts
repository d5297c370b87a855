// A destination's settings as the form holds them (every kind's fields, so switching kind keeps
// what was typed) and as the API takes them for the chosen kind (left-out optional fields stay
// out).
import type { paths } from "../lib/api-schema.ts";
import type { DestinationKind } from "./backup-parts.tsx";

export type DestinationInput =
  paths["/api/v1/backup-destinations"]["post"]["requestBody"]["content"]["application/json"];
type Settings = DestinationInput["settings"];

/** The form's fields as typed (every kind's, so switching kind keeps what was typed). */
export interface Typed {
  nodeId: string;
  path: string;
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  pathStyle: boolean;
  host: string;
  port: string;
  username: string;
  password: string;
  privateKey: string;
  hostKey: string;
  tls: "none" | "explicit" | "implicit";
  ca: string;
}

export const EMPTY: Typed = {
  nodeId: "",
  path: "",
  endpoint: "",
  region: "",
  bucket: "",
  accessKeyId: "",
  secretAccessKey: "",
  pathStyle: true,
  host: "",
  port: "",
  username: "",
  password: "",
  privateKey: "",
  hostKey: "",
  tls: "explicit",
  ca: "",
};

const portOf = (text: string, fallback: number) => (text.trim() ? Number(text) : fallback);

/** The settings the API takes for the chosen kind (left-out optional fields stay out). */
export function settingsOf(kind: DestinationKind, t: Typed): Settings {
  switch (kind) {
    case "local":
      return { kind, nodeId: t.nodeId, path: t.path.trim() };
    case "s3":
      return {
        kind,
        endpoint: t.endpoint.trim(),
        ...(t.region.trim() ? { region: t.region.trim() } : {}),
        bucket: t.bucket.trim(),
        prefix: t.path.trim(),
        forcePathStyle: t.pathStyle,
        accessKeyId: t.accessKeyId.trim(),
        secretAccessKey: t.secretAccessKey,
      };
    case "sftp":
      return {
        kind,
        host: t.host.trim(),
        port: portOf(t.port, 22),
        username: t.username.trim(),
        ...(t.password ? { password: t.password } : {}),
        ...(t.privateKey.trim() ? { privateKey: t.privateKey } : {}),
        hostKey: t.hostKey.trim(),
        path: t.path.trim(),
      };
    case "ftp":
      return {
        kind,
        host: t.host.trim(),
        port: portOf(t.port, t.tls === "implicit" ? 990 : 21),
        username: t.username.trim(),
        password: t.password,
        tls: t.tls,
        ...(t.ca.trim() ? { ca: t.ca } : {}),
        path: t.path.trim(),
      };
  }
}
