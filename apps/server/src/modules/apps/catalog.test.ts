// The one-click catalog's templates: each passes the compose check with its variables'
// defaults and generated secrets (WordPress's and Uptime Kuma's images cannot be pulled here,
// so this and the failing deploy in compose-api.test.ts are what they get), and a variable the
// user gives is kept over the template's.
import { checkCompose, renderCompose } from "@steward/contracts/apps";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalog, catalogEntry, catalogEnv } from "./catalog.ts";

describe("the app catalog", () => {
  it("checks and renders every template with generated, secret passwords", () => {
    expect(catalog().map((e) => [e.id, e.services.map((s) => s.name)])).toEqual([
      ["static-site", ["web"]],
      ["wordpress", ["wordpress", "db"]],
      ["uptime-kuma", ["uptime-kuma"]],
    ]);
    for (const entry of catalog()) {
      const template = catalogEntry(entry.id);
      if (!template) throw new Error(entry.id);
      const env = catalogEnv(template, []);
      const checked = checkCompose(template.file, {
        env: Object.fromEntries(env.map((e) => [e.key, e.value])),
      });
      expect(checked.ok, JSON.stringify(checked)).toBe(true);
      if (checked.ok)
        // the file written to the node still names every service the check found
        expect(
          Object.keys(parse(renderCompose(checked.stack.document, "app_x")).services).sort(),
        ).toEqual(checked.stack.services.map((s) => s.name).sort());
    }
    const wordpress = catalogEntry("wordpress");
    if (!wordpress) throw new Error("no wordpress");
    const env = catalogEnv(wordpress, [{ key: "DB_ROOT_PASSWORD", value: "mine", secret: true }]);
    const password = env.find((e) => e.key === "DB_PASSWORD");
    expect(password?.secret).toBe(true);
    expect(password?.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(catalogEnv(wordpress, []).find((e) => e.key === "DB_PASSWORD")?.value).not.toBe(
      password?.value,
    );
    expect(env.filter((e) => e.key === "DB_ROOT_PASSWORD")).toEqual([
      { key: "DB_ROOT_PASSWORD", value: "mine", secret: true },
    ]);
  });
});
