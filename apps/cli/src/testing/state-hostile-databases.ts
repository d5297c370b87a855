// Hostile database and database user files and the refusal each gets (state/files.test.ts),
// as in state-hostile-files.ts.

const DB = "database/main-mariadb--shop_app.yaml";
const PG = "database/node-postgres--shop_app.yaml";
const USER = "database-user/main-mariadb--shop_user.yaml";
const PG_USER = "database-user/node-postgres--shop_user.yaml";
const SECRET = "{ secret: database-user/main-mariadb--shop_user }";
/** Database shop_app on main-mariadb with these lines instead of the usual. */
const database = (lines: Record<string, string>) =>
  Object.entries({ server: "main-mariadb", engine: "mariadb", name: "shop_app", ...lines })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
const user = (lines: Record<string, string>) =>
  Object.entries({
    ...{ server: "main-mariadb", engine: "mariadb", name: "shop_user", password: SECRET },
    ...lines,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");

export const hostileDatabaseFiles: [file: string, text: string, refusal: string][] = [
  ...[
    ["shop'app", "must not contain quotes"],
    ["shop`app", "must not contain backticks"],
    ["shop;app", "must not contain semicolons"],
    ['"shop\\u0000app"', "must not contain NUL bytes"],
    ["select", "is an SQL reserved word (select)"],
    ["mysql", "is reserved by MariaDB"],
    ["x".repeat(65), "must be at most 64 characters"],
  ].map(([name, refusal]): [string, string, string] => [
    DB,
    database({ name: name as string }),
    `${DB}: name: ${refusal}`,
  ]),
  [DB, database({ server: '"main; drop"' }), `${DB}: server: must be a database server's file`],
  [DB, database({ server: "../../etc" }), `${DB}: server:`],
  [DB, database({ engine: "oracle" }), `${DB}: engine: must be mariadb or postgres`],
  [DB, database({ options: "{ charset: utf16 }" }), `${DB}: options.charset:`],
  [
    DB,
    database({ options: '{ collation: "utf8mb4_bin; DROP DATABASE x" }' }),
    `${DB}: options.collation:`,
  ],
  [
    DB,
    database({ options: "{ encoding: UTF8 }" }),
    `${DB}: options.encoding: is not a known field`,
  ],
  [
    PG,
    database({ server: "node-postgres", engine: "postgres", options: '{ locale: "C\'" }' }),
    `${PG}: options.locale:`,
  ],
  [
    PG,
    database({ server: "node-postgres", engine: "postgres", options: '{ owner: "a--b" }' }),
    `${PG}: options.owner: must not contain "--"`,
  ],
  [DB, database({ owner: "root" }), `${DB}: owner: is not a known field`],
  [
    "database/main-mariadb--other.yaml",
    database({}),
    "database/main-mariadb--other.yaml: file: must be named main-mariadb--shop_app.yaml",
  ],
  [USER, user({ name: "shop'user" }), "must not contain quotes"],
  [USER, user({ password: "hunter2hunter2" }), `${USER}: password:`],
  [
    USER,
    user({ password: "{ secret: database-user/main-mariadb--root }" }),
    `${USER}: password.secret: must be { secret: database-user/main-mariadb--shop_user }`,
  ],
  [USER, user({ hosts: '["10.0.0.%\'; DROP"]' }), `${USER}: hosts.0:`],
  [USER, user({ hosts: "[]" }), `${USER}: hosts: must list a host`],
  [USER, user({ connectionLimit: "0" }), `${USER}: connectionLimit:`],
  [USER, user({ grants: "[{ database: x, level: { kind: owner } }]" }), `${USER}: grants.0.level`],
  [
    USER,
    user({ grants: "[{ database: x, level: { kind: custom, privileges: [SUPER] } }]" }),
    `${USER}: grants.0.level.privileges.0:`,
  ],
  [
    USER,
    user({ grants: "[{ database: x, level: { kind: custom, privileges: [TRUNCATE] } }]" }),
    `${USER}: grants.0.level.privileges.0: must be one of SELECT`,
  ],
  [
    USER,
    user({ grants: '[{ database: "shop`app", level: { kind: all } }]' }),
    `${USER}: grants.0.database: must not contain backticks`,
  ],
  [
    USER,
    user({
      grants:
        "[{ database: a, level: { kind: all } }, { database: a, level: { kind: read-only } }]",
    }),
    `${USER}: grants.1.database: is granted twice`,
  ],
  [
    PG_USER,
    user({
      server: "node-postgres",
      engine: "postgres",
      hosts: "[localhost]",
      password: "{ secret: database-user/node-postgres--shop_user }",
    }),
    `${PG_USER}: hosts: only applies to MariaDB servers`,
  ],
  [USER, user({ databaseId: "db_1" }), `${USER}: databaseId: is not a known field`],
];
