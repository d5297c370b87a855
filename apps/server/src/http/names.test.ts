// Names through the real API on both dialects: bidirectional controls and line/paragraph
// separators are refused in every name (they make a name display as something else, or
// split a log line), naming the field and changing nothing; internationalised domains are
// converted explicitly (UTS #46) and shown in both forms; a look-alike that would silently
// become another plain name (a Kelvin sign becoming kelvin.com) is refused.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { useServer, useWorld } from "../testing/use-server.ts";

const HOSTILE = {
  "right-to-left override": "invoice\u202Egnp.exe",
  "left-to-right isolate": "a\u2066b",
  "right-to-left mark": "a\u200Fb",
  "arabic letter mark": "a\u061Cb",
  "line separator": "first\u2028second",
  "paragraph separator": "first\u2029second",
  "C1 next line": "first\u0085second",
};

describe.each(dialects())("names on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s, { trustedNode: "names1" });

  const count = async (table: "accounts" | "groups" | "sites") =>
    Number(
      (
        await s.svc.db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.each(Object.entries(HOSTILE))("refuses a %s in account and group names", async (_, name) => {
    const before = [await count("accounts"), await count("groups")];
    const acc = await s.request("POST", "/api/v1/accounts", {
      key: w.keys.super,
      body: { slug: `n${w.unique()}`, name },
    });
    expect(acc.status).toBe(400);
    expect(acc.body.error.details).toEqual([
      expect.objectContaining({
        field: "body.name",
        message: expect.stringContaining("bidirectional"),
      }),
    ]);
    const grp = await s.request("POST", "/api/v1/groups", {
      key: w.keys.super,
      body: { name, description: "" },
    });
    expect(grp.status).toBe(400);
    expect(grp.body.error.details[0].field).toBe("body.name");
    const rename = await s.request("PATCH", `/api/v1/accounts/${w.a}`, {
      key: w.keys.super,
      body: { name },
    });
    expect(rename.status).toBe(400);
    expect([await count("accounts"), await count("groups")]).toEqual(before);
    const a = await s.request("GET", `/api/v1/accounts/${w.a}`, { key: w.keys.super });
    expect(a.body.name).toBe("Account acc-a");
  });

  const createSite = (domains: string[], aliases: string[] = []) =>
    s.request("POST", "/api/v1/sites", {
      key: w.keys.super,
      body: { node: w.node, kind: "static", domains, aliases },
    });

  it("stores an internationalised domain as its A-label and shows both forms", async () => {
    const res = await createSite(["Bücher.example"], ["пример.example"]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      domains: ["xn--bcher-kva.example"],
      domainsUnicode: ["bücher.example"],
      aliases: ["xn--e1afmkfd.example"],
      aliasesUnicode: ["пример.example"],
    });
    const got = await s.request("GET", `/api/v1/sites/${res.body.id}`, { key: w.keys.super });
    expect(got.body.domainsUnicode).toEqual(["bücher.example"]);
    // the same name typed in ASCII is the same name: taken
    const twin = await createSite(["xn--bcher-kva.example"]);
    expect(twin.status).toBe(409);
  });

  it.each([
    ["a Kelvin sign", "\u212Aelvin.example", "kelvin.example"],
    ["fullwidth letters", "ｅｘａｍｐｌｅ.net", "example.net"],
    ["an ideographic full stop", "shop\u3002example", "shop.example"],
  ])("refuses %s that would silently become a plain name", async (_, typed, plain) => {
    const before = await count("sites");
    const res = await createSite(["ok-site.example", typed]);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        field: "body.domains.1",
        message: expect.stringContaining(`turns into ${plain}`),
      }),
    ]);
    expect(await count("sites")).toBe(before);
  });

  it("refuses bidi controls in a domain, naming the field", async () => {
    const res = await createSite(["shop.example"], ["moc.\u202Eexample"]);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ field: "body.aliases.0" });
  });
});
