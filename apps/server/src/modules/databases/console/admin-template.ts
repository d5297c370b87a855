// The query library's templates that only the server's admin can run (`runs: "admin"`): the
// console's session is the database's own user, so Steward makes the change itself, through
// its database users (the one executor, its quoting; the user kept, its password sealed, the
// change audited as database-user.create). The answer is a result like any other: here the
// new user and its generated password, shown once (the console's history and audit keep the
// template and its parameters, never the password).
import type { QueryPageResult } from "@steward/contracts/databases";
import type { Ctx } from "../../../access/types.ts";
import { AppError, invalid } from "../../../lib/errors.ts";
import type { DatabaseRow } from "../items-repo.ts";
import type { ServerRow } from "../repo.ts";
import type { createDatabaseUsersService } from "../users-service.ts";

type Users = ReturnType<typeof createDatabaseUsersService>;

/** The users service's field `name` is the template's `user`. */
function asParam(error: unknown): unknown {
  if (!(error instanceof AppError) || error.details?.[0]?.field !== "name") return error;
  return new AppError(
    error.code,
    error.message.replace(/^name:/, "body.params.user:"),
    error.details.map((d) => (d.field === "name" ? { ...d, field: "body.params.user" } : d)),
  );
}

/** Runs an admin template of the library on `database`: its page of results. */
export async function runAdminTemplate(
  users: Users,
  ctx: Ctx,
  at: { server: ServerRow; database: DatabaseRow },
  template: string,
  params: (string | number)[],
): Promise<QueryPageResult> {
  if (template !== "create-read-only-user")
    throw invalid("body.template", `${template} is not a template Steward runs as the admin`);
  const name = String(params[0]);
  const made = await users
    .create(ctx, {
      serverId: at.server.id,
      name,
      connectionLimit: null,
      grants: [{ databaseId: at.database.id, level: { kind: "read-only" } }],
    })
    .catch((error: unknown) => {
      throw asParam(error);
    });
  return {
    columns: [
      { name: "user", type: "text" },
      { name: "password", type: "text" },
    ],
    rows: [[made.name, made.password]],
    rowCount: 1,
    truncated: false,
  };
}
