// The installer the panel serves: its three values validated and quoted for sh, nothing else
// of the script changed; hostile public URLs, pins and versions refused (the panel's settings
// are an administrator's, but a value that reaches a root shell is checked anyway).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { installLine, renderInstaller, shQuote } from "./installer.ts";

const template = readFileSync(
  fileURLToPath(new URL("../../../../../install/agent.sh", import.meta.url)),
  "utf8",
);
const pin = `sha256//${Buffer.alloc(32, 1).toString("base64")}`;
const good = { panelUrl: "https://panel.example.com:8443/", pin, version: "1.2.3-rc.1" };

describe("the served installer", () => {
  it("fills in the three values, quoted; the rest is the template; sh parses it", () => {
    const text = renderInstaller(good);
    expect(text).toContain("\nPANEL_URL='https://panel.example.com:8443'\n");
    expect(text).toContain(`\nPANEL_PIN='${pin}'\n`);
    expect(text).toContain("\nAGENT_VERSION='1.2.3-rc.1'\n");
    const changed = text.split("\n").filter((line, i) => line !== template.split("\n")[i]);
    expect(changed).toHaveLength(3);
    execFileSync("sh", ["-n"], { input: text });
    expect(renderInstaller({ ...good, pin: null })).toContain("\nPANEL_PIN=''\n");
  });

  it("runs alone, as `curl … | sh` runs it: the helpers it shares with panel.sh are in it", () => {
    const text = renderInstaller(good);
    expect(text).not.toMatch(/^\s*(\.|source) /m);
    const run = (...args: string[]) => {
      try {
        execFileSync("sh", ["-s", "--", ...args], { input: text, stdio: "pipe", cwd: "/" });
        return "";
      } catch (e) {
        return String((e as { stderr: Buffer }).stderr);
      }
    };
    expect(run("--tokn")).toBe(
      "steward-agent install: unknown option --tokn (see docs/install.md)\n",
    );
    expect(run("--root", "/a/../b")).toMatch(/^steward-agent install: --root must be a plain/);
  });

  it("refuses values that are not a plain URL, pin or version", () => {
    for (const panelUrl of [
      "https://panel.example.com/'; rm -rf / #",
      "https://panel.example.com/$(id)",
      "https://panel.example.com/`id`",
      "https://panel.example.com/\nid",
      "https://panel.example.com/a b",
      "https://user:pw@panel.example.com",
      "https://panel.example.com/?x=1&y=2",
      "file:///etc/passwd",
    ])
      expect(() => renderInstaller({ ...good, panelUrl })).toThrow(/public URL/);
    for (const bad of ["sha256//x", "sha256//'$(id)'", `${pin}\nid`])
      expect(() => renderInstaller({ ...good, pin: bad })).toThrow(/pin/);
    for (const version of ["1.2.3'", "1.2.3;id", "../1", "1.2.3\n", ""])
      expect(() => renderInstaller({ ...good, version })).toThrow(/version/);
  });

  it("quotes for sh whatever it is given; the console's line is null for an unfit URL", () => {
    expect(shQuote("a'b")).toBe(`'a'\\''b'`);
    expect(
      execFileSync("sh", ["-c", `printf %s ${shQuote("a'$(id)`b")}`], { encoding: "utf8" }),
    ).toBe("a'$(id)`b");
    expect(installLine({ panelUrl: "https://p.example.com", pin: null }, "tok_1")).toBe(
      "curl -fsSL https://p.example.com/install/agent.sh | sudo sh -s -- --token 'tok_1'",
    );
    expect(installLine({ panelUrl: "https://p.example.com/$(id)", pin: null }, "t")).toBeNull();
  });
});
