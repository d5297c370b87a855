// Connection diagnostics of a Joomla site (Panopticon's matrix, docs/cms.md#diagnostics):
// `/api/index.php/v1/extensions` without the token must answer 401 (anything else: the /api
// folder is not reachable; 403: a WAF blocks us), then with it 200 (401: a wrong token), then
// the Panopticon connector's core/update (404: not installed or its Web Services plugin off);
// Akeeba Backup and Admin Tools missing are warnings. The first error stops the walk.
import type { CmsDiagnosis, CmsDiagnostic } from "@steward/contracts";
import { connectionProblem, problem } from "./diagnose.ts";
import { joomlaRequest, listExtensions } from "./joomla.ts";
import type { WpOptions, WpTarget } from "./wordpress.ts";

const FIX = {
  forbidden:
    "The server or a security extension (WAF, Admin Tools' .htaccess Maker) blocks the request: allow Steward's user agent and the X-Joomla-Token header for /api/.",
  "api-missing":
    "Make /api/index.php reach Joomla: undo any .htaccess rule blocking the /api folder, and enable the plugins “Web Services - Installer” and “API Authentication - Web Services Joomla Token”.",
  unauthorized:
    "Copy the API token of a Super User (Users → Manage → the user → Joomla API Token; the “User - Joomla API Token” plugin must be enabled) and enter it.",
  "no-capability": "Use a Super User's API token: the connector's routes need core.admin.",
  "connector-missing":
    "Install the Panopticon connector for Joomla (github.com/akeeba/panopticon-connector) and enable its “Web Services - Panopticon” plugin (Access: Public).",
} as const;

async function walk(target: WpTarget, options: WpOptions): Promise<CmsDiagnostic[]> {
  const get = (path: string, auth: boolean) =>
    joomlaRequest(target, options, { method: "GET", path, auth });
  try {
    const anonymous = await get("/v1/extensions", false);
    if (anonymous.status === 403)
      return [
        problem(
          "forbidden",
          "The site answered 403 Forbidden to /api/index.php/v1/.",
          FIX.forbidden,
        ),
      ];
    if (anonymous.status !== 401)
      return [
        problem(
          "api-missing",
          `/api/index.php/v1/extensions answered HTTP ${anonymous.status} without a token instead of 401: Joomla's API application is not reachable.`,
          FIX["api-missing"],
        ),
      ];
    const signed = await get("/v1/extensions", true);
    if (signed.status === 401)
      return [problem("unauthorized", "Joomla refused the API token (401).", FIX.unauthorized)];
    if (signed.status === 403)
      return [
        problem(
          "forbidden",
          "The site answered 403 Forbidden to an authenticated request.",
          FIX.forbidden,
        ),
      ];
    if (signed.status !== 200)
      return [
        problem(
          "api-missing",
          `The API answered HTTP ${signed.status} with the token.`,
          FIX["api-missing"],
        ),
      ];
    const connector = await get("/v1/panopticon/core/update", true);
    if (connector.status === 404)
      return [
        problem(
          "connector-missing",
          "The Panopticon connector is not installed or not enabled.",
          FIX["connector-missing"],
        ),
      ];
    if (connector.status === 403)
      return [
        problem(
          "no-capability",
          "The token's user may not use the connector.",
          FIX["no-capability"],
        ),
      ];
    if (connector.status !== 200)
      return [
        problem(
          "api-missing",
          `The connector answered HTTP ${connector.status}.`,
          FIX["api-missing"],
        ),
      ];
    const out: CmsDiagnostic[] = [];
    const extensions = await listExtensions(target, options, false);
    const has = (...names: string[]) =>
      extensions.some((e) => e.enabled === 1 && names.includes(e.element));
    const backup = await get("/v1/panopticon/akeebabackup/info", true);
    const installed = backup.status === 200 && /"installed"\s*:\s*true/.test(backup.body);
    if (!installed || !has("pkg_akeebabackup", "com_akeebabackup"))
      out.push(
        problem(
          "akeeba-missing",
          "Akeeba Backup Professional is not installed or not reachable through the API.",
        ),
      );
    if (!has("pkg_admintools", "com_admintools"))
      out.push(problem("admintools-missing", "Admin Tools Professional is not installed."));
    return out;
  } catch (error) {
    return [connectionProblem(error)];
  }
}

export async function diagnoseJoomla(target: WpTarget, options: WpOptions): Promise<CmsDiagnosis> {
  const problems = await walk(target, options);
  return {
    ok: !problems.some((p) => p.severity === "error"),
    checkedAt: new Date().toISOString(),
    problems,
  };
}
