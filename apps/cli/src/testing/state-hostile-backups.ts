// Hostile backup destination files and the refusal each gets (state/files.test.ts), as in
// state-hostile-files.ts.

const FILE = "backup-destination/shop--offsite.yaml";
const PASSWORD = "{ secret: backup-destination/shop--offsite/password }";
const HOST_KEY = `SHA256:${"A".repeat(43)}`;
/** Destination "Offsite" of account shop with these settings (YAML flow mapping entries). */
const destination = (settings: string, more = "") =>
  `name: Offsite\naccount: shop\nsettings: { ${settings} }\n${more}`;
/** SFTP settings with some entries instead of the usual. */
const sftp = (fields: Record<string, string>) =>
  Object.entries({
    ...{ kind: "sftp", host: "backup.example", username: "shop" },
    ...{ password: PASSWORD, hostKey: HOST_KEY },
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
const s3 = (fields: Record<string, string>) =>
  Object.entries({
    ...{ kind: "s3", endpoint: "https://s3.example", bucket: "dumps", accessKeyId: "AK" },
    secretAccessKey: "{ secret: backup-destination/shop--offsite/secretAccessKey }",
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");

export const hostileBackupFiles: [file: string, text: string, refusal: string][] = [
  [FILE, destination(sftp({ password: "hunter2" })), `${FILE}: settings.password:`],
  [
    FILE,
    destination(sftp({ password: "{ secret: backup-destination/shop--other/password }" })),
    `${FILE}: settings.password.secret: must be { secret: backup-destination/shop--offsite/password }`,
  ],
  [FILE, destination(sftp({ host: '"backup.example; rm -rf /"' })), `${FILE}: settings.host:`],
  [FILE, destination(sftp({ port: "70000" })), `${FILE}: settings.port:`],
  [FILE, destination(sftp({ username: '"shop\\u0000root"' })), `${FILE}: settings.username:`],
  [FILE, destination(sftp({ path: '"/dumps/../../etc"' })), `${FILE}: settings.path:`],
  [
    FILE,
    destination(sftp({ password: "null" }).replace("password: null, ", "")),
    `${FILE}: settings.password: give a password or a privateKey`,
  ],
  [FILE, destination(s3({ endpoint: "file:///etc/passwd" })), `${FILE}: settings.endpoint:`],
  [FILE, destination(s3({ bucket: '"dumps`id`"' })), `${FILE}: settings.bucket:`],
  [FILE, destination(s3({ secretAccessKey: "plain" })), `${FILE}: settings.secretAccessKey:`],
  [
    FILE,
    destination("kind: local, node: web-1, path: /var/backups/../../etc"),
    `${FILE}: settings.path:`,
  ],
  [
    FILE,
    destination("kind: local, node: web-1, nodeId: x, path: /var/backups"),
    `${FILE}: settings.nodeId: is not a known field`,
  ],
  [FILE, destination('kind: local, node: "web-1;", path: /var/backups'), `${FILE}: settings.node:`],
  [FILE, destination("kind: fax"), `${FILE}: settings.kind:`],
  [FILE, destination(sftp({}), "owner: root\n"), `${FILE}: owner: is not a known field`],
  [FILE, `name: "Offsite\\nX"\naccount: shop\nsettings: { ${sftp({})} }\n`, `${FILE}: name:`],
];
