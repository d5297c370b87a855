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
];
