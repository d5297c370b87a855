// The Joomla fake's core update (joomla-fake-core.ts) answers out-of-order calls as the
// Panopticon connector and Joomla Update's extract.php do: extract.php before update.php exists,
// with a wrong password, an unknown task or a forged engine is "Invalid login"; the activation
// before the download reports no file; Joomla's post-update before the package is extracted and
// finalised is refused; a resumed download at the wrong offset is an error; no token is a 401.
import { afterAll, describe, expect, it } from "vitest";
import { startJoomlaFake } from "./joomla-fake.ts";

const TOKEN = "c2hhMjU2OjQyOjBmZDlmZTg2YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODk=";
const API = "/api/index.php/v1/panopticon/";
const EXTRACT = "/administrator/components/com_joomlaupdate/extract.php";
const joomla = await startJoomlaFake({
  token: TOKEN,
  core: { current: "5.1.0", latest: "5.1.2" },
  connector: true,
});
afterAll(() => joomla.stop());

describe("the fake's core update answers out-of-order calls as Joomla does", () => {
  const post = (path: string, form: Record<string, string>, token = true) =>
    fetch(`${joomla.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(token ? { "x-joomla-token": TOKEN } : {}),
      },
      body: new URLSearchParams(form),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Answer }));
  type Answer = { data: { attributes: Record<string, unknown> } } & Record<string, unknown>;

  it("refuses extract.php without update.php, a wrong password or engine, and early finalisation", async () => {
    const invalid = { status: 200, body: { status: false, message: "Invalid login" } };
    expect(await post(EXTRACT, { task: "startExtract", password: "x" }, false)).toEqual(invalid);
    // activating before the download: no file (filesize false)
    const early = await post(`${API}core/update/activate`, {});
    expect(early.body.data.attributes.filesize).toBe(false);
    const password = String(early.body.data.attributes.password);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(await post(EXTRACT, { task: "startExtract", password: "wrong" })).toEqual(invalid);
    expect(await post(EXTRACT, { task: "unknown", password })).toEqual(invalid);
    const started = await post(EXTRACT, { task: "startExtract", password });
    expect(started.body).toMatchObject({ status: true, done: false });
    expect(await post(EXTRACT, { task: "stepExtract", password, instance: "Zm9v" })).toEqual(
      invalid,
    );
    // Joomla's post-update before the package is extracted and finalised
    const post1 = await post(`${API}core/update/postupdate`, {});
    expect(post1.status).toBe(500);
    // a chunked download resumed at the wrong offset
    await post(`${API}core/update/download/chunked`, {});
    const wrong = await post(`${API}core/update/download/chunked`, { offset: "999" });
    expect(String(wrong.body.data.attributes.error)).toContain("is 12000 bytes, not 999");
    // without the token: 401
    expect((await post(`${API}core/update/activate`, {}, false)).status).toBe(401);
    expect(joomla.core.current).toBe("5.1.0");
  });
});
