// The floor of bench:databases: the statements a create amounts to (a database, a user with
// its password, the user's privileges on it), sent by the engines' own clients, one process
// (one connection) per create as Steward opens one per action: `mariadb -e` and `psql -c`
// (which connects to the new database for the schema's grant, as Steward does). Arguments as
// an array, the password in the environment.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ADMIN, type BenchServer } from "./servers.ts";

const run = promisify(execFile);
export const USER_PASSWORD = "floor-user-password-0123456789ab";

/** One create through the client: database `d`, user `u` with every privilege on it. */
export async function floorCreate(server: BenchServer, d: string, u: string) {
  if (server.engine === "mariadb") {
    const statements = [
      `CREATE DATABASE \`${d}\``,
      `CREATE USER '${u}'@'localhost' IDENTIFIED BY '${USER_PASSWORD}'`,
      `GRANT ALL PRIVILEGES ON \`${d}\`.* TO '${u}'@'localhost'`,
    ];
    await run(
      "mariadb",
      [
        "--protocol=TCP",
        "-h",
        "127.0.0.1",
        "-P",
        String(server.port),
        "-u",
        ADMIN.user,
        "-e",
        statements.join("; "),
      ],
      { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", MYSQL_PWD: ADMIN.password } },
    );
    return;
  }
  await run(
    "psql",
    [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      "127.0.0.1",
      "-p",
      String(server.port),
      "-U",
      ADMIN.user,
      "-d",
      "postgres",
      "-c",
      `CREATE DATABASE "${d}"`,
      "-c",
      `CREATE ROLE "${u}" LOGIN PASSWORD '${USER_PASSWORD}'`,
      "-c",
      `GRANT ALL PRIVILEGES ON DATABASE "${d}" TO "${u}"`,
      "-c",
      `\\c ${d}`,
      "-c",
      `GRANT ALL ON SCHEMA public TO "${u}"`,
    ],
    { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PGPASSWORD: ADMIN.password } },
  );
}
