// The hostile values of hostile-input.test.ts for the backup destinations API (issue 15):
// names, kinds, paths with `..` or relative, bucket names S3 refuses, endpoints and hosts that
// are not targets, a tenant's FTP or S3 server on loopback (the outbound policy), secrets with
// NUL, hostile ids and list filters. All refused with a 4xx naming the field, before anything
// is written or connected.
import { enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function backupCases(destination: string, account: string): Case[] {
  const path = "/api/v1/backup-destinations";
  const ftp = {
    kind: "ftp",
    host: "ftp.example.com",
    username: "u",
    password: "p",
    path: "backups",
  };
  const s3 = {
    kind: "s3",
    endpoint: "https://s3.example.com",
    bucket: "backups",
    accessKeyId: "AKIA",
    secretAccessKey: "secret",
  };
  const sftp = {
    kind: "sftp",
    host: "h.example.com",
    username: "u",
    password: "p",
    hostKey: `SHA256:${"A".repeat(43)}`,
  };
  const local = { kind: "local", nodeId: "nod_00000000000000000000000000", path: "/var/backups" };
  const valid = { name: "hostile", accountId: account, settings: ftp };
  const setting = (
    settings: Record<string, unknown>,
    key: string,
    value: unknown,
    field = key,
  ): Case => [
    "POST",
    path,
    { ...valid, settings: { ...settings, [key]: value } },
    400,
    V,
    `body.settings.${field}`,
  ];
  return [
    ...bodyCases("POST", path, valid).slice(0, 3),
    ...fieldCases("POST", path, valid, "name", ["", "a\nb", LONG]),
    ...fieldCases("POST", path, valid, "accountId", [SQL[0]]),
    ["POST", path, { ...valid, accountId: "acc_missing" }, 400, V, "accountId"],
    ...fieldCases("POST", path, valid, "saveAnyway", ["yes"]),
    [
      "POST",
      path,
      { ...valid, settings: { ...ftp, kind: "dropbox" } },
      400,
      V,
      "body.settings.kind",
    ],
    ["POST", path, { ...valid, settings: { ...ftp, extra: 1 } }, 400, V, "body.settings.extra"],
    ...["../etc", "relative/dir", "/var/../etc", "/var/backups/..", "/a\u0000b", "/a b", LONG].map(
      (value) => setting(local, "path", value),
    ),
    ...["backups/../..", "a\nb", "$(id)"].map((value) => setting(ftp, "path", value)),
    ...["ab", "Backups", "-backups", "back..ups", "192.168.1.1", "a".repeat(64), "b_u"].map(
      (value) => setting(s3, "bucket", value),
    ),
    ...["ftp://s3.example.com", "https://user:pw@s3.example.com", "https://0x7f.1", LONG].map(
      (value) => setting(s3, "endpoint", value),
    ),
    setting(s3, "region", "us east 1"),
    setting(s3, "secretAccessKey", "a\u0000b"),
    ...[SQL[1], "ftp`x", "a b", "2130706433", LONG].map((value) => setting(ftp, "host", value)),
    setting(ftp, "port", 0),
    setting(ftp, "tls", "maybe"),
    setting(ftp, "password", "a\u0000b"),
    ...["md5:aa:bb", "SHA256:short", `SHA256:${"A".repeat(42)};`].map((value) =>
      setting(sftp, "hostKey", value),
    ),
    ...["a\nb", "a\u0000b", LONG].map((value) => setting(sftp, "username", value)),
    ...["a\nb", "a\u0000b"].map((value) => setting(sftp, "password", value)),
    setting(sftp, "privateKey", "a\u0000b"),
    ...["a\nb", "a\u0000b", "a".repeat(1025)].map((value) =>
      setting({ ...sftp, privateKey: "k" }, "passphrase", value),
    ),
    setting(sftp, "passphrase", "without a key"),
    ...["not a certificate", "-----BEGIN CERTIFICATE-----\n$(id)\n-----END CERTIFICATE-----"].map(
      (value) => setting(ftp, "ca", value),
    ),
    // refused by the outbound policy at input, naming the field: a tenant's loopback and
    // link-local, the metadata service for everyone
    ["POST", path, { ...valid, settings: { ...ftp, host: "127.0.0.2" } }, 400, V, "settings.host"],
    [
      "POST",
      path,
      { ...valid, settings: { ...s3, endpoint: "http://[::1]:9000" } },
      400,
      V,
      "settings.endpoint",
    ],
    [
      "POST",
      path,
      { ...valid, accountId: null, settings: { ...ftp, host: "169.254.169.254" } },
      400,
      V,
      "settings.host",
    ],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${path}/${id}/test`, undefined, 400, V, "params.id"],
      ["DELETE", `${path}/${id}`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${path}/${destination}x`, undefined, 404, "NOT_FOUND", ""],
    ["GET", `${path}?limit=0`, undefined, 400, V, "querystring.limit"],
    ["GET", `${path}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ["GET", `${path}?sort=kind`, undefined, 400, V, "querystring.sort"],
  ];
}
