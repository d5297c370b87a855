// More mail certificates on one node, chosen by the name a client gives in its TLS handshake
// (SNI, docs/mail.md#tls). Each site's key and chain, as cert.install left them, are copied
// into <configDir>/tls/sni/<id>.pem (key, then chain: Postfix), <id>.crt and <id>.key
// (Dovecot); two files of Steward's name them per name, and main.cf and dovecot.conf name
// those once, at install:
//   <configDir>/sni              `mail.example.com /…/tls/sni/<id>.pem`: Postfix's
//                                tls_server_sni_maps = texthash:… (no postmap: a texthash
//                                value is a list of files, read when the table is opened)
//   <configDir>/sni-dovecot.conf `local_name mail.example.com { ssl_cert = <… ssl_key = <… }`:
//                                dovecot.conf's `!include_try`
// A client naming none of them gets the node's mail certificate (tls.ts).
import { readdir, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import { type OpContext, OpFailure } from "../types.ts";
import { readInstalled } from "./tls.ts";

export const SNI_MAP = "sni";
export const SNI_DOVECOT = "sni-dovecot.conf";
export const SNI_DIR = join("tls", "sni");

type Sni = MailApplyInput["sni"];
const lines = (l: string[]) => l.map((x) => `${x}\n`).join("");

/**
 * Copies each site's certificate in and writes the two files; removes the copies of sites no
 * longer listed. Answers whether anything changed and, per site, the serial and a name to ask.
 */
export async function stageSni(ctx: OpContext, sni: Sni) {
  const m = ctx.config.mail;
  const dir = join(m.configDir, SNI_DIR);
  await ctx.mkdir(dir, { mode: 0o755 });
  const secret = { mode: 0o600, uid: 0, gid: 0 };
  let changed = false;
  const map: string[] = [];
  const dovecot: string[] = [];
  const serials: { id: string; name: string; serial: string }[] = [];
  for (const { id, names } of sni) {
    const { key, chain, serial } = await readInstalled(ctx, id);
    const file = (ext: string) => join(dir, `${id}.${ext}`);
    for (const [path, content, opts] of [
      [file("pem"), `${key.trimEnd()}\n${chain}`, secret],
      [file("key"), key, secret],
      [file("crt"), chain, { mode: 0o644 }],
    ] as const)
      if (await ctx.writeFile(path, content, opts)) changed = true;
    for (const name of names) {
      map.push(`${name} ${file("pem")}`);
      dovecot.push(
        `local_name ${name} {`,
        `  ssl_cert = <${file("crt")}`,
        `  ssl_key = <${file("key")}`,
        "}",
      );
    }
    serials.push({ id, name: names[0] as string, serial });
  }
  const kept = new Set(sni.flatMap(({ id }) => ["pem", "key", "crt"].map((x) => `${id}.${x}`)));
  for (const name of await readdir(dir))
    if (!kept.has(name) && (await ctx.removeFile(join(dir, name)))) changed = true;
  const mapPath = join(m.configDir, SNI_MAP);
  if (await ctx.writeFile(mapPath, lines(map), { mode: 0o644 })) {
    changed = true;
    // Postfix waits until a table it opens is over a second old
    const past = new Date(Date.now() - 2_000);
    await utimes(mapPath, past, past);
  }
  if (await ctx.writeFile(join(m.configDir, SNI_DOVECOT), lines(dovecot), { mode: 0o644 }))
    changed = true;
  return { changed, serials };
}

/** main.cf's tls_server_sni_maps must read Steward's map, or the certificates go unserved. */
export async function checkSniWiring(ctx: OpContext, postconf: string[]) {
  const path = join(ctx.config.mail.configDir, SNI_MAP);
  const r = await ctx.exec("postconf tls_server_sni_maps", [
    ...postconf,
    "-h",
    "tls_server_sni_maps",
  ]);
  if (!r.stdout.split(/[\s,]+/).includes(`texthash:${path}`))
    throw new OpFailure(
      "MAIL_NOT_CONFIGURED",
      `Postfix's tls_server_sni_maps does not read ${path}: add texthash:${path} to it in main.cf (docs/mail.md)`,
    );
}
