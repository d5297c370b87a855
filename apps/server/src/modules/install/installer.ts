// install/agent.sh as the panel serves it (GET /install/agent.sh): the script of the checkout
// with three values filled in, the panel's URL, the pin of its TLS key when its certificate is
// self-signed, and the agent version it serves. Each is validated to a narrow alphabet first
// (no quote, no `$`, no backtick, no newline can reach the script) and then single-quoted
// for sh anyway; only the three assignment lines the template marks are replaced.
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { agentVersion } from "@steward/contracts/agent";
import { tlsFiles } from "../certificates/panel-files.ts";

const template = fileURLToPath(new URL("../../../../../install/agent.sh", import.meta.url));

/** what curl's --pinnedpubkey takes: sha256//<base64 of the SHA-256 of the key's SPKI DER> */
const pinPattern = /^sha256\/\/[A-Za-z0-9+/]{43}=$/;
/** an http(s) origin with an optional path: nothing sh or a URL could be tricked with */
const urlPattern =
  /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

/** sh's single quotes: the value as one word, whatever it holds */
export const shQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The pin of the panel's TLS key when its certificate is self-signed (its own issuer, signed
 * by its own key); null for a panel without HTTPS or with a CA's certificate.
 */
export function panelPin(settings: Parameters<typeof tlsFiles>[0]): string | null {
  const { tlsCert } = tlsFiles(settings);
  if (!tlsCert) return null;
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(readFileSync(tlsCert));
  } catch {
    return null;
  }
  if (leaf.issuer !== leaf.subject || !leaf.verify(leaf.publicKey)) return null;
  const spki = leaf.publicKey.export({ type: "spki", format: "der" });
  return `sha256//${createHash("sha256").update(spki).digest("base64")}`;
}

export interface InstallerValues {
  panelUrl: string;
  pin: string | null;
  version: string;
}

/** The values, validated; an error names the one that is not fit for a script. */
export function checkValues(v: InstallerValues): InstallerValues {
  const url = v.panelUrl.replace(/\/+$/, "");
  if (!urlPattern.test(url))
    throw new Error(`the panel's public URL ${JSON.stringify(url)} cannot go into the installer`);
  if (v.pin !== null && !pinPattern.test(v.pin)) throw new Error("the TLS pin is malformed");
  if (!agentVersion.safeParse(v.version).success) throw new Error("the agent version is malformed");
  return { ...v, panelUrl: url };
}

export function renderInstaller(values: InstallerValues): string {
  const v = checkValues(values);
  const lines: Record<string, string> = {
    "PANEL_URL=''": `PANEL_URL=${shQuote(v.panelUrl)}`,
    "PANEL_PIN=''": `PANEL_PIN=${shQuote(v.pin ?? "")}`,
    "AGENT_VERSION=''": `AGENT_VERSION=${shQuote(v.version)}`,
  };
  const text = readFileSync(template, "utf8");
  return text
    .split("\n")
    .map((line) => lines[line] ?? line)
    .join("\n");
}

/**
 * The line the console shows: fetch the installer (pinned for a self-signed panel), run it;
 * null when the panel's public URL cannot go into it.
 */
export function installLine(
  values: Omit<InstallerValues, "version">,
  token: string,
): string | null {
  let checked: InstallerValues;
  try {
    checked = checkValues({ ...values, version: "0.0.0" });
  } catch {
    return null;
  }
  const { panelUrl, pin } = checked;
  const curl = pin ? `curl -fsSL -k --pinnedpubkey ${shQuote(pin)}` : "curl -fsSL";
  return `${curl} ${panelUrl}/install/agent.sh | sudo sh -s -- --token ${shQuote(token)}`;
}
