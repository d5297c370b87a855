// The real `steward` CLI as a child process: database servers. A server on a node is kept
// with --save-anyway (the panel does not ask agents to test yet); refused input names the
// option (or the variable holding the admin password), and writes nothing.
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface ServerJson {
  id: string;
  name: string;
  engine: string;
  placement: string;
  nodeId: string | null;
  test: { ok: boolean; problems: { kind: string; message: string }[] };
}

describe("steward db-server", () => {
  it("adds a node's server, lists, shows and tests it; refuses bad input naming the option", async () => {
    const c = cliFor();
    // added, not enrolled: found by its name, its agent does not answer
    const node = (
      await c.json<{ id: string }>([
        "node",
        "add",
        "--name",
        "db-1",
        "--agent-url",
        "https://db-1.example.com:7443",
      ])
    ).id;
    const add = ["db-server", "add", "--name", "local", "--engine", "mariadb"];
    const onNode = ["--placement", "on-node", "--save-anyway", "--node"];
    const made = await c.json<ServerJson>([...add, ...onNode, "db-1"]);
    expect(made).toMatchObject({
      name: "local",
      engine: "mariadb",
      placement: "on-node",
      nodeId: node,
    });
    expect(made.test.ok).toBe(false);
    const [list, shown, human] = await Promise.all([
      c.json<Page<ServerJson>>(["db-server", "list", "--sort", "name"]),
      c.json<ServerJson>(["db-server", "show", made.id]),
      c.ok(["db-server", "test", made.id]),
    ]);
    expect(list.items.map((s) => s.id)).toEqual([made.id]);
    expect(shown.id).toBe(made.id);
    expect(human).toContain("agent did not run the action");
    expect(await c.auditActions("database-server.*")).toEqual(["database-server.create"]);

    const before = await c.snapshot([["db-server", "list"]]);
    expect(await c.fails(["db-server", "add", "--name", "x", "--engine", "oracle"], 2)).toContain(
      "--engine: must be mariadb or postgres",
    );
    expect(
      await c.fails(
        [...add, "--host", "db.example.com", "--port", "3306", "--admin-user", "root"],
        2,
      ),
    ).toContain("STEWARD_DB_ADMIN_PASSWORD");
    expect(
      await c.fails(
        [...add, "--host", "db.example.com", "--port", "99999", "--admin-user", "root"],
        2,
        { env: { STEWARD_DB_ADMIN_PASSWORD: "pw" } },
      ),
    ).toContain("--port");
    expect(await c.fails(["db-server", "show", "a b"], 2)).toContain("<id>");
    expect(await c.fails([...add, ...onNode, "nod_00000000000000000000000001"], 2)).toBe(
      "steward: --node: node nod_00000000000000000000000001 not found",
    );
    expect(await c.snapshot([["db-server", "list"]])).toEqual(before);
  }, 240_000);
});
