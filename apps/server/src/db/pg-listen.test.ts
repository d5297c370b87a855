// The process's one LISTEN connection: subscribers of different channels share it, each hears
// only its channels, and after the connection is lost each listens again and is told so.
import { dialects, freshPostgresDatabase } from "@steward/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribe } from "./pg-listen.ts";

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
  expect(await check()).toBe(true);
};

describe.skipIf(!dialects().includes("postgres"))("shared LISTEN connection", () => {
  let url = "";
  const admin = () => new pg.Client({ connectionString: url });
  let sql: pg.Client;
  beforeAll(async () => {
    url = await freshPostgresDatabase();
    sql = admin();
    await sql.connect();
  });
  afterAll(() => sql?.end());
  const listeners = async () =>
    Number(
      (
        await sql.query(
          "select count(*) as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
        )
      ).rows[0].n,
    );

  it("serves two subscribers on one connection, each hearing its own channels, and again after a loss", async () => {
    const heard: string[] = [];
    const again = { a: 0, b: 0 };
    const a = subscribe(
      url,
      ["chan_a"],
      (c, p) => heard.push(`a:${c}:${p}`),
      () => again.a++,
    );
    const b = subscribe(
      url,
      ["chan_b", "chan_a"],
      (c, p) => heard.push(`b:${c}:${p}`),
      () => again.b++,
    );
    await Promise.all([a.ready(), b.ready()]);
    expect(a.listening() && b.listening()).toBe(true);
    expect(await listeners()).toBe(1);
    await sql.query("select pg_notify('chan_a', 'one'), pg_notify('chan_b', 'two')");
    await until(() => heard.length === 3);
    expect(heard.sort()).toEqual(["a:chan_a:one", "b:chan_a:one", "b:chan_b:two"]);

    // the connection is lost: both listen again on a new one and are told
    const before = { ...again };
    await sql.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'",
    );
    await until(() => again.a > before.a && again.b > before.b);
    expect(a.listening() && b.listening()).toBe(true);
    heard.length = 0;
    await sql.query("select pg_notify('chan_b', 'three')");
    await until(() => heard.length === 1);
    expect(heard).toEqual(["b:chan_b:three"]);

    // the last subscriber gone, the connection closes
    await a.close();
    expect(await listeners()).toBe(1);
    await b.close();
    await until(async () => (await listeners()) === 0);
  });
});
