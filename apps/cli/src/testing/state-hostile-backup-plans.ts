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
  [
    PLAN,
    plan({ sources: "[blog--site-files]" }),
    `${PLAN}: sources.0: must be a source of account shop`,
  ],
  [PLAN, plan({ sources: "[]" }), `${PLAN}: sources: must name at least one source`],
  [PLAN, plan({ sources: "[../../etc]" }), `${PLAN}: sources.0:`],
  [
    PLAN,
    plan({ destinations: "[blog--offsite]" }),
    `${PLAN}: destinations.0: must be a destination of account shop or a shared one`,
  ],
  [PLAN, plan({ destinations: '["shop--a;b"]' }), `${PLAN}: destinations.0:`],
  [PLAN, plan({ schedule: '"0 3 * * *\\nrm -rf /"' }), `${PLAN}: schedule:`],
  [PLAN, plan({ timeZone: '"Europe/Berlin\'; DROP"' }), `${PLAN}: timeZone:`],
  [PLAN, plan({ compressionLevel: "99" }), `${PLAN}: compressionLevel:`],
  [PLAN, plan({ concurrency: "0" }), `${PLAN}: concurrency:`],
  [PLAN, plan({ retention: "{ keepLast: 0 }" }), `${PLAN}: retention.keepLast: must be 1 to 1000`],
  [
    PLAN,
    plan({ retention: "{ gfs: { daily: 0 } }" }),
    `${PLAN}: retention.gfs: must keep something`,
  ],
  [
    PLAN,
    plan({ encryption: "{ mode: recipients, recipients: [abc] }" }),
    `${PLAN}: encryption.recipients.0:`,
  ],
  [PLAN, plan({ encryption: "{ mode: rot13 }" }), `${PLAN}: encryption.mode:`],
  [
    PLAN,
    plan({ verify: '{ schedule: "@daily", timeZone: "../../x" }' }),
    `${PLAN}: verify.timeZone:`,
  ],
  [PLAN, plan({ sourceIds: "[bks_1]" }), `${PLAN}: sourceIds: is not a known field`],
  [PLAN, plan({ accountId: "acc_1" }), `${PLAN}: accountId: is not a known field`],
];
