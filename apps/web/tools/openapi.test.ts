// The console's API types are generated from the server's routes: this fails when a route
// changed and `npm run gen:api` was not run, so the console never compiles against a stale API.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { generateApiTypes, schemaFile } from "./openapi.ts";

it("apps/web/src/lib/api-schema.ts matches the server's OpenAPI document", async () => {
  const fresh = await generateApiTypes();
  const committed = readFileSync(schemaFile, "utf8");
  expect(
    committed === fresh,
    "api-schema.ts is stale: run `npm run gen:api` and commit the result",
  ).toBe(true);
});
