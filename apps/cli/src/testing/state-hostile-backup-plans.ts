// Hostile backup source and plan files and the refusal each gets (state/files.test.ts), as in
// state-hostile-files.ts.

const SRC = "backup-source/shop--site-files.yaml";
const PLAN = "backup-plan/shop--nightly.yaml";
const MONGO = "backup-source/shop--orders.yaml";
/** Source "Site files" of account shop reading this (YAML flow mapping entries). */
const source = (spec: string, more = "") =>
  `name: Site files\naccount: shop\nsource: { ${spec} }\n${more}`;
const files = (extra = "") => `kind: files, node: web-1, path: /srv/shop${extra}`;
/** Plan "Nightly" of account shop with these lines instead of the usual. */
const plan = (lines: Record<string, string>) =>
  Object.entries({
    ...{ name: "Nightly", account: "shop", sources: "[shop--site-files]" },
    ...{ destinations: "[shop--offsite]", schedule: '"0 3 * * *"' },
    ...lines,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");

export const hostileBackupPlanFiles: [file: string, text: string, refusal: string][] = [
  [SRC, source(files().replace("/srv/shop", "/srv/../../etc")), `${SRC}: source.path:`],
  [SRC, source(files().replace("/srv/shop", "srv/shop")), `${SRC}: source.path:`],
  [SRC, source(files(', excludes: ["/etc/*"]')), `${SRC}: source.excludes.0:`],
  [SRC, source(files(', excludes: ["a\\nb"]')), `${SRC}: source.excludes.0:`],
  [SRC, source('kind: files, node: "web-1; reboot", path: /srv/shop'), `${SRC}: source.node:`],
  [SRC, source(files(", nodeId: nod_1")), `${SRC}: source.nodeId: is not a known field`],
  [
    SRC,
    source('kind: database, database: "main-mariadb--shop`app"'),
    `${SRC}: source.database: must be a database's file name`,
  ],
  [SRC, source("kind: database, database: ../../etc/passwd"), `${SRC}: source.database:`],
  [SRC, source('kind: server, server: "main; DROP"'), `${SRC}: source.server:`],
  [SRC, source("kind: tape"), `${SRC}: source.kind:`],
  [
    MONGO,
    `name: Orders\naccount: shop\nsource: { kind: mongodb, node: web-1, uri: "mongodb://u:p@db" }\n`,
    `${MONGO}: source.uri:`,
  ],
  [
    MONGO,
    "name: Orders\naccount: shop\nsource: { kind: mongodb, node: web-1, uri: { secret: backup-source/shop--x/uri } }\n",
    `${MONGO}: source.uri.secret: must be { secret: backup-source/shop--orders/uri }`,
  ],
  [
    MONGO,
    'name: Orders\naccount: shop\nsource: { kind: mongodb, node: web-1, uri: { secret: backup-source/shop--orders/uri }, database: "a$b" }\n',
    `${MONGO}: source.database:`,
  ],
  [SRC, source(files(), "owner: root\n"), `${SRC}: owner: is not a known field`],
  [SRC, `name: "Site files\\nX"\naccount: shop\nsource: { ${files()} }\n`, `${SRC}: name:`],
  [SRC, `name: Site files\naccount: "shop'"\nsource: { ${files()} }\n`, `${SRC}: account:`],
];
