// Connection diagnostics of a WordPress site (Panopticon's matrix, docs/cms.md#diagnostics):
// the REST API reached unauthenticated, then authenticated, then the connector; each problem
// found says what is wrong, how to fix it and where the docs explain it. The first error
// stops the walk (what comes after it cannot be judged); warnings do not.
import type { CmsDiagnosis, CmsDiagnostic, CmsDiagnosticCode } from "@steward/contracts";
import { OutboundRefused } from "../../lib/outbound-http.ts";
import {
  CONNECTOR_VERSION,
  ConnectorError,
  connector,
  connectorInfo,
  jsonOf,
  type WpOptions,
  type WpTarget,
  wpRequest,
} from "./wordpress.ts";

const WORDS: Record<CmsDiagnosticCode, { severity: "error" | "warning"; fix: string }> = {
  refused: {
    severity: "error",
    fix: "Use the site's public address: Steward does not connect to its own or private addresses.",
  },
  dns: {
    severity: "error",
    fix: "Check the spelling of the address; a new domain's DNS may take hours to propagate.",
  },
  "tcp-refused": {
    severity: "error",
    fix: "Check the address and port, that the web server runs, and that its firewall lets this panel in.",
  },
  "tcp-timeout": {
    severity: "error",
    fix: "A firewall probably drops this panel's connections: allow its address on the site's host.",
  },
  tls: {
    severity: "error",
    fix: "Install a valid certificate for this name (Let's Encrypt), or check that the address is the site's.",
  },
  forbidden: {
    severity: "error",
    fix: "The server or a security plugin (WAF) blocks the request: allow Steward's user agent and the Authorization header for /wp-json/.",
  },
  "api-missing": {
    severity: "error",
    fix: "Check that the address is WordPress's root, then make /wp-json/ reach WordPress: enable pretty permalinks (Settings → Permalinks) and check that no plugin disables the REST API.",
  },
  unauthorized: {
    severity: "error",
    fix: "Create an application password in WordPress (Users → Profile → Application Passwords) for an administrator and enter it with that user's name. The site must use HTTPS for application passwords.",
  },
  "no-capability": {
    severity: "error",
    fix: "Use an administrator: the connector needs manage_options, update_core, update_plugins and update_themes.",
  },
  "connector-missing": {
    severity: "error",
    fix: "Download the Steward connector (console, or /api/v1/cms-sites/connector/wordpress.zip), upload it in Plugins → Add New → Upload Plugin, then activate it.",
  },
  "connector-outdated": {
    severity: "warning",
    fix: `Install the current Steward connector (${CONNECTOR_VERSION}) over the old one.`,
  },
  "url-mismatch": {
    severity: "warning",
    fix: "Enter the address WordPress calls itself (Settings → General → Site Address).",
  },
  "akeeba-missing": {
    severity: "warning",
    fix: "Install and enable Akeeba Backup Professional (9.6 or later) and its Web Services plugin for backups from Steward.",
  },
  "admintools-missing": {
    severity: "warning",
    fix: "Install and enable Admin Tools Professional (7.4 or later) and its Web Services plugin for the file scanner, IP unblocking and temporary Super Users.",
  },
};

/** A problem in words; `fix` replaces the WordPress wording (Joomla's diagnostics). */
export const problem = (code: CmsDiagnosticCode, message: string, fix?: string): CmsDiagnostic => ({
  code,
  severity: WORDS[code].severity,
  message,
  fix: fix ?? WORDS[code].fix,
  docs: `docs/cms.md#${code}`,
});

/** The problem a failed connection is, from the error's code. */
export function connectionProblem(error: unknown): CmsDiagnostic {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof OutboundRefused)
    return /does not resolve/.test(message)
      ? problem("dns", `The site's name does not resolve: ${message}`)
      : problem("refused", `The address is refused: ${message}`);
  const code = (error as { code?: string }).code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return problem("dns", `The site's name does not resolve (${code}).`);
  if (code === "ECONNREFUSED")
    return problem("tcp-refused", "The connection was refused: nothing listens there.");
  if (
    /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ||
    /certificate|TLS|SSL/i.test(message)
  )
    return problem("tls", `The TLS connection failed: ${message}`);
  return problem("tcp-timeout", `The site did not answer: ${message}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const sameSite = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

async function walk(target: WpTarget, options: WpOptions): Promise<CmsDiagnostic[]> {
  let index: unknown;
  try {
    const answer = await wpRequest(target, options, { method: "GET", path: "/" });
    if (answer.status === 403)
      return [problem("forbidden", "The site answered 403 Forbidden to /wp-json/.")];
    index = jsonOf(answer);
    if (answer.status !== 200 || !isRecord(index) || !Array.isArray(index.namespaces))
      return [
        problem(
          "api-missing",
          `/wp-json/ is not WordPress's REST API (HTTP ${answer.status}${index === undefined ? ", not JSON" : ""}).`,
        ),
      ];
  } catch (error) {
    return [connectionProblem(error)];
  }
  const namespaces = index.namespaces as unknown[];
  const me = await wpRequest(target, options, {
    method: "GET",
    path: "/wp/v2/users/me?context=edit",
    auth: true,
  }).catch((error: unknown) => error);
  if (me instanceof Error) return [connectionProblem(me)];
  const answer = me as Awaited<ReturnType<typeof wpRequest>>;
  if (answer.status === 401) {
    const apps = isRecord(index.authentication) && "application-passwords" in index.authentication;
    return [
      problem(
        "unauthorized",
        apps
          ? "WordPress refused the user name and application password (401)."
          : "WordPress refused the credentials (401), and application passwords are not available on this site (they need HTTPS).",
      ),
    ];
  }
  if (answer.status === 403)
    return [problem("forbidden", "The site answered 403 Forbidden to an authenticated request.")];
  if (!namespaces.includes("steward/v1"))
    return [
      problem(
        "connector-missing",
        "The Steward connector plugin is not installed or not activated.",
      ),
    ];
  try {
    const info = await connector(
      target,
      options,
      { method: "GET", path: "/steward/v1/info" },
      connectorInfo,
    );
    const out: CmsDiagnostic[] = [];
    if (info.connector !== CONNECTOR_VERSION)
      out.push(
        problem(
          "connector-outdated",
          `The connector is ${info.connector}; this panel speaks ${CONNECTOR_VERSION}.`,
        ),
      );
    if (!sameSite(info.siteUrl, target.url))
      out.push(problem("url-mismatch", `WordPress calls itself ${info.siteUrl}.`));
    return out;
  } catch (error) {
    if (!(error instanceof ConnectorError)) return [connectionProblem(error)];
    if (/HTTP 403/.test(error.message))
      return [problem("no-capability", "The user may not manage this site's options and updates.")];
    return [problem("api-missing", `The connector failed: ${error.message}`)];
  }
}

export async function diagnose(target: WpTarget, options: WpOptions): Promise<CmsDiagnosis> {
  const problems = await walk(target, options);
  return {
    ok: !problems.some((p) => p.severity === "error"),
    checkedAt: new Date().toISOString(),
    problems,
  };
}
