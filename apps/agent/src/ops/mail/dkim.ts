// mail.dkim (docs/mail.md#dkim-spf-and-dmarc): OpenDKIM signs the node's mail as a milter of
// its Postfix; its opendkim.conf names Steward's own tables once, at install:
//   KeyTable      <configDir>/dkim/KeyTable      `<selector>._domainkey.<domain> <domain>:<selector>:<key file>`
//   SigningTable  <configDir>/dkim/SigningTable  `<domain> <selector>._domainkey.<domain>`
//   InternalHosts <configDir>/dkim/TrustedHosts  loopback (authenticated submission is signed too)
// Stage: a missing key made here (RSA 2048, <configDir>/dkim/keys/<domain>/<selector>.private,
// 0600, owned by OpenDKIM's user: the private key never leaves the node), keys no longer listed
// removed, the tables written atomically. Test: opendkim.conf names the tables, `opendkim -n`.
// Activate: SIGUSR1 (OpenDKIM reads its configuration and tables again). Verify: it still
// runs. A failure puts the previous files back and signals OpenDKIM again.
import { createPrivateKey, createPublicKey, generateKeyPair } from "node:crypto";
import { readdir, readFile, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { MailDkimInput, MailDkimOutput } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { lookupUser } from "../../system/users.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";

type OpenDkim = NonNullable<AgentConfig["mail"]["opendkim"]>;
type Key = MailDkimInput["keys"][number];

export const TRUSTED_HOSTS = "127.0.0.1\n::1\n";
const makeKeyPair = promisify(generateKeyPair);

/** base64 of the DER SubjectPublicKeyInfo of a PEM private key: the record's p=. */
const publicPart = (pem: string) =>
  createPublicKey(createPrivateKey(pem)).export({ format: "der", type: "spki" }).toString("base64");

export const dkimPaths = (configDir: string) => {
  const dir = join(configDir, "dkim");
  return {
    dir,
    keys: join(dir, "keys"),
    keyTable: join(dir, "KeyTable"),
    signingTable: join(dir, "SigningTable"),
    trustedHosts: join(dir, "TrustedHosts"),
    keyFile: (k: { domain: string; selector: string }) =>
      join(dir, "keys", k.domain, `${k.selector}.private`),
  };
};

export function renderTables(configDir: string, keys: readonly Key[]) {
  const p = dkimPaths(configDir);
  const name = (k: Key) => `${k.selector}._domainkey.${k.domain}`;
  const sorted = [...keys].sort((a, b) => name(a).localeCompare(name(b)));
  return {
    keyTable: sorted.map((k) => `${name(k)} ${k.domain}:${k.selector}:${p.keyFile(k)}\n`).join(""),
    signingTable: sorted
      .filter((k) => k.sign)
      .map((k) => `${k.domain} ${name(k)}\n`)
      .join(""),
  };
}

/** The keys on disk now: domain -> selectors. */
async function keysOnDisk(keysDir: string): Promise<{ domain: string; selector: string }[]> {
  const domains = await readdir(keysDir).catch(() => [] as string[]);
  const found: { domain: string; selector: string }[] = [];
  for (const domain of domains) {
    const files = await readdir(join(keysDir, domain)).catch(() => [] as string[]);
    for (const f of files)
      if (f.endsWith(".private")) found.push({ domain, selector: f.slice(0, -".private".length) });
  }
  return found;
}

/** opendkim.conf must name Steward's tables, or nothing written here would sign anything. */
async function checkWiring(o: OpenDkim, configDir: string) {
  const p = dkimPaths(configDir);
  const conf = await readFile(o.config, "utf8").catch(() => null);
  if (conf === null)
    throw new OpFailure(
      "MAIL_NOT_CONFIGURED",
      `there is no ${o.config} (agent.json mail.opendkim.config)`,
    );
  const lines = conf.split("\n").map((l) => l.trim().split(/\s+/));
  for (const [option, file] of [
    ["KeyTable", p.keyTable],
    ["SigningTable", p.signingTable],
  ] as const) {
    const named = lines.some(
      ([k, v]) => k?.toLowerCase() === option.toLowerCase() && v?.replace(/^file:/, "") === file,
    );
    if (!named)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        `${o.config} does not read ${file}: add "${option} ${file}" to it (docs/mail.md)`,
      );
  }
}

async function signal(ctx: OpContext, o: OpenDkim) {
  await ctx.step("reload OpenDKIM (SIGUSR1)", async () => {
    const pid = Number((await readFile(o.pidFile, "utf8").catch(() => "")).trim());
    if (!Number.isInteger(pid) || pid <= 1)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        `OpenDKIM is not running (no pid in ${o.pidFile})`,
      );
    try {
      process.kill(pid, "SIGUSR1");
    } catch (err) {
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        `OpenDKIM (pid ${pid}) is not running: ${(err as Error).message}`,
      );
    }
  });
}

async function stillRuns(o: OpenDkim) {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const pid = Number((await readFile(o.pidFile, "utf8").catch(() => "")).trim());
  try {
    process.kill(pid, 0);
  } catch {
    throw new OpFailure("VERIFY_FAILED", "OpenDKIM stopped after reading the new tables");
  }
}

export const mailDkim: OpHandler<"mail.dkim"> = {
  name: "mail.dkim",
  services: ["mail"],
  async run(ctx, input: MailDkimInput): Promise<MailDkimOutput> {
    const m = ctx.config.mail;
    const o = m.opendkim;
    if (!m.enabled || !o)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        "this node signs no mail (agent.json mail.enabled is false or mail.opendkim is unset)",
      );
    const p = dkimPaths(m.configDir);
    const wanted = new Set(input.keys.map((k) => p.keyFile(k)));
    const { keys, changed, emptied } = await ctx.phase("stage", async () => {
      const owner = await lookupUser(ctx, o.user);
      if (!owner)
        throw new OpFailure(
          "MAIL_NOT_CONFIGURED",
          `there is no user ${o.user} (agent.json mail.opendkim.user)`,
        );
      const own = { uid: owner.uid, gid: owner.gid };
      await ctx.mkdir(p.dir, { mode: 0o755 });
      await ctx.mkdir(p.keys, { mode: 0o700, ...own });
      const keys: MailDkimOutput["keys"] = [];
      let changed = false;
      for (const k of input.keys) {
        const file = p.keyFile(k);
        let pem = await readFile(file, "utf8").catch(() => null);
        const created = pem === null;
        if (pem === null) {
          const pair = await makeKeyPair("rsa", { modulusLength: 2048 });
          pem = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
          await ctx.mkdir(join(p.keys, k.domain), { mode: 0o700, ...own });
          await ctx.writeFile(file, pem, { mode: 0o600, ...own });
          changed = true;
        }
        keys.push({ domain: k.domain, selector: k.selector, publicKey: publicPart(pem), created });
      }
      const emptied = new Set<string>();
      for (const k of await keysOnDisk(p.keys)) {
        const file = p.keyFile(k);
        if (wanted.has(file)) continue;
        await ctx.removeFile(file);
        emptied.add(join(p.keys, k.domain));
        changed = true;
      }
      const tables = renderTables(m.configDir, input.keys);
      for (const [path, text] of [
        [p.keyTable, tables.keyTable],
        [p.signingTable, tables.signingTable],
        [p.trustedHosts, TRUSTED_HOSTS],
      ] as const)
        if (await ctx.writeFile(path, text, { mode: 0o644 })) changed = true;
      return { keys, changed, emptied };
    });
    if (!changed) return { keys };
    await ctx.phase("test", async () => {
      await checkWiring(o, m.configDir);
      const r = await ctx.exec("opendkim -n", [o.bin, "-n", "-x", o.config], {
        allowFailure: true,
      });
      if (r.exitCode !== 0)
        throw new OpFailure("MAIL_CONFIG_INVALID", `opendkim -n: ${r.stderr.trim().slice(-500)}`);
    });
    await ctx.phase("activate", async () => {
      ctx.onRollback("reload OpenDKIM", () => signal(ctx, o));
      await signal(ctx, o);
    });
    await ctx.phase("verify", () => ctx.step("OpenDKIM still runs", () => stillRuns(o)));
    // a removed domain's key directory, once empty (after success: nothing to put back)
    for (const dir of emptied) await rmdir(dir).catch(() => undefined);
    return { keys };
  },
};
