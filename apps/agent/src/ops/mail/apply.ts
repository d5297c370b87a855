// mail.apply (docs/mail.md): the node's whole mail state into Steward's own files, which
// main.cf and dovecot.conf name once at install (the distribution's configuration is never
// edited here). Stage: the four maps and the passwd-file, written atomically, dated two
// seconds back (Postfix waits until a table it opens is over a second old). Test: Postfix
// reads those files (postconf), `postfix check`, `doveconf -n`. Activate: `postfix reload`
// when a map changed (Dovecot re-reads its passwd-file by itself). Verify: new addresses are
// accepted and removed ones refused at RCPT, new mailboxes known to Dovecot (`doveadm user`).
// A failure restores the previous files and reloads Postfix again.
import { readFile, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { lookupUser } from "../../system/users.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { dovecotNeeds } from "./needs.ts";
import { postfixCheck } from "./postfix-check.ts";
import {
  acceptedBy,
  addressesOf,
  DENY_FILE,
  MAP_FILES,
  type MailFiles,
  REFUSE_FILE,
  renderMail,
  USERS_FILE,
} from "./render.ts";
import { stageSieve } from "./sieve.ts";
import { probeRcpt, type RcptAnswer } from "./smtp-probe.ts";
import { checkSniWiring, stageSni } from "./sni.ts";
import { reloadSpam, stageSpam, testSpam, verifySpam } from "./spam.ts";
import { stageCertificate, verifyServed } from "./tls.ts";
import { stageVirus, verifyVirus } from "./virus.ts";

/** At most this many new and removed addresses are checked at RCPT and with doveadm. */
const SAMPLE = 10;
const VERIFY_DEADLINE_MS = 20_000;
/** how often RCPT and doveadm are asked again (a reload's new smtpd answers within ~0.3 s) */
const POLL_MS = 50;

type MailConfig = AgentConfig["mail"];

const postconf = (m: MailConfig, ...args: string[]) => [
  m.postfix.postconf,
  ...(m.postfix.configDir ? ["-c", m.postfix.configDir] : []),
  ...args,
];
const postfix = (m: MailConfig, ...args: string[]) => [
  m.postfix.bin,
  ...(m.postfix.configDir ? ["-c", m.postfix.configDir] : []),
  ...args,
];
const dovecotArgs = (m: MailConfig) => (m.dovecot.config ? ["-c", m.dovecot.config] : []);

async function current(dir: string): Promise<MailFiles> {
  const read = (name: string) => readFile(join(dir, name), "utf8").catch(() => "");
  const [domains, mailboxes, aliases, refuse, users, deny] = await Promise.all(
    [...MAP_FILES, USERS_FILE, DENY_FILE].map(read),
  );
  return {
    domains: domains ?? "",
    mailboxes: mailboxes ?? "",
    aliases: aliases ?? "",
    refuse: refuse ?? "",
    users: users ?? "",
    deny: deny ?? "",
  };
}

/**
 * Postfix's three parameters must name Steward's files, or nothing written would be served;
 * and when a send-only mailbox sits under a catch-all, smtpd_recipient_restrictions must
 * check the access map refusing it (else the catch-all takes its mail).
 */
async function checkWiring(ctx: OpContext, m: MailConfig, refusing: boolean) {
  const params = ["virtual_mailbox_domains", "virtual_mailbox_maps", "virtual_alias_maps"];
  const r = await ctx.exec("postconf", postconf(m, "-h", ...params));
  const values = r.stdout.split("\n");
  params.forEach((param, i) => {
    const file = join(m.configDir, MAP_FILES[i] as string);
    if (!(values[i] ?? "").includes(file))
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        `Postfix's ${param} does not read ${file}: add texthash:${file} to it in main.cf (docs/mail.md)`,
      );
  });
  if (!refusing) return;
  const param = "smtpd_recipient_restrictions";
  const map = `texthash:${join(m.configDir, REFUSE_FILE)}`;
  const check = `check_recipient_access ${map}`;
  const words = (await ctx.exec(`postconf ${param}`, postconf(m, "-h", param))).stdout
    .split(/[\s,]+/)
    .filter(Boolean);
  if (!words.some((w, i) => w === "check_recipient_access" && words[i + 1] === map))
    throw new OpFailure(
      "MAIL_NOT_CONFIGURED",
      `Postfix's ${param} does not refuse send-only and disabled mailboxes under a catch-all: add ${check} to it in main.cf (docs/mail.md)`,
    );
}

async function testConfig(
  ctx: OpContext,
  m: MailConfig,
  input: MailApplyInput,
  files: MailFiles,
  tlsChanged: boolean,
) {
  await checkWiring(ctx, m, files.refuse !== "");
  if (input.sni.length) await checkSniWiring(ctx, postconf(m));
  const dir = m.postfix.configDir ?? "/etc/postfix";
  await postfixCheck(ctx, dir, postfix(m, "check"), tlsChanged);
  const conf = await ctx.exec("doveconf -n", [m.dovecot.doveconf, ...dovecotArgs(m), "-n"], {
    allowFailure: true,
    recordStdout: false,
  });
  if (conf.exitCode !== 0)
    throw new OpFailure("MAIL_CONFIG_INVALID", `doveconf: ${conf.stderr.trim().slice(-500)}`);
  for (const [path, line] of dovecotNeeds(m, input))
    if (!conf.stdout.includes(path))
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        `Dovecot does not read ${path}: add ${line} to dovecot.conf (docs/mail.md)`,
      );
}

/** Asks at RCPT until every address is answered as expected, or the deadline. */
async function verifyRcpt(ctx: OpContext, m: MailConfig, accept: string[], refuse: string[]) {
  const wanted = [
    ...accept.map((a) => [a, true] as const),
    ...refuse.map((a) => [a, false] as const),
  ];
  if (!wanted.length) return;
  const deadline = Date.now() + VERIFY_DEADLINE_MS;
  let last: RcptAnswer[] = [];
  for (;;) {
    try {
      last = await probeRcpt(
        m.smtp,
        wanted.map(([a]) => a),
      );
    } catch (err) {
      last = [{ address: "(connection)", code: 0, text: (err as Error).message }];
    }
    const wrong = last.filter((r, i) => {
      const ok = wanted[i]?.[1];
      return r.code === 0 || (ok ? r.code >= 300 : r.code < 500);
    });
    if (!wrong.length) return;
    if (Date.now() > deadline || ctx.signal.aborted)
      throw new OpFailure(
        "VERIFY_FAILED",
        `Postfix did not answer RCPT as the new maps say: ${wrong.map((r) => `${r.address}: ${r.text}`).join("; ")}`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Dovecot knows each new mailbox and no longer knows each removed or disabled one; it reads
 * its passwd-file again at most once a second, so it is asked until the deadline. One
 * `doveadm user` asks for every address at once (a process each cost ~0.2 s under load).
 */
async function verifyUsers(ctx: OpContext, m: MailConfig, known: string[], gone: string[]) {
  const wanted = [...known, ...gone];
  if (!wanted.length) return;
  const deadline = Date.now() + VERIFY_DEADLINE_MS;
  for (;;) {
    const r = await ctx.exec(
      `doveadm user ${wanted.length === 1 ? wanted[0] : `(${wanted.length} addresses)`}`,
      // after `--` an address is a name, never an option (a local part may begin with `-`)
      [m.dovecot.doveadm, ...dovecotArgs(m), "user", "--", ...wanted],
      { allowFailure: true },
    );
    // 0: all found; 67 (EX_NOUSER): some not, each named on a line; else a failure to ask
    const asked = r.exitCode === 0 || r.exitCode === 67;
    const missing = new Set(
      [...r.stdout.matchAll(/^userdb lookup: user (\S+) doesn't exist$/gm)].map((x) => x[1]),
    );
    const unknown = asked ? known.filter((a) => missing.has(a)) : known;
    const still = asked ? gone.filter((a) => !missing.has(a)) : gone;
    if (!unknown.length && !still.length) return;
    if (Date.now() > deadline || ctx.signal.aborted)
      throw new OpFailure(
        "VERIFY_FAILED",
        unknown.length
          ? `Dovecot does not know ${unknown.join(", ")}: ${r.stderr.trim()}`
          : `Dovecot still knows ${still.join(", ")} (doveadm user exited ${r.exitCode})`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export const mailApply: OpHandler<"mail.apply"> = {
  name: "mail.apply",
  services: ["mail"],
  async run(ctx, input: MailApplyInput) {
    const m = ctx.config.mail;
    if (!m.enabled)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        "this node serves no mail (agent.json mail.enabled is false)",
      );
    const before = await current(m.configDir);
    const started = performance.now();
    const files = renderMail(input, m);
    const { mapsChanged, usersChanged, tls, spamChanged } = await ctx.phase("stage", async () => {
      await ctx.mkdir(m.configDir, { mode: 0o755 });
      await ctx.mkdir(m.mailRoot, { mode: 0o700, uid: m.uid, gid: m.gid });
      let mapsChanged = false;
      const past = new Date(Date.now() - 2_000);
      for (const name of MAP_FILES) {
        const path = join(m.configDir, name);
        if (await ctx.writeFile(path, files[name], { mode: 0o644 })) {
          mapsChanged = true;
          await utimes(path, past, past);
        }
      }
      // hashes: readable by root and Dovecot's auth processes (their user's group) only
      const auth = await lookupUser(ctx, m.dovecot.authUser);
      if (!auth)
        throw new OpFailure(
          "MAIL_NOT_CONFIGURED",
          `there is no user ${m.dovecot.authUser} (agent.json mail.dovecot.authUser) to read the passwd-file`,
        );
      let usersChanged = false;
      for (const name of [USERS_FILE, DENY_FILE] as const) {
        const path = join(m.configDir, name);
        const previous = await stat(path).catch(() => null);
        if (!(await ctx.writeFile(path, files[name], { mode: 0o640, uid: 0, gid: auth.gid })))
          continue;
        usersChanged = true;
        // Dovecot re-reads the file when its mtime (in seconds) or size differs from what it
        // read: a new hash of the same length written within the same second needs a new second
        if (previous) {
          const at = Math.max(
            Math.floor(Date.now() / 1000),
            Math.floor(previous.mtimeMs / 1000) + 1,
          );
          await utimes(path, at, at);
        }
      }
      const sieveChanged = await stageSieve(ctx, input);
      const one = await stageCertificate(ctx, input.certificate);
      const sni = await stageSni(ctx, input.sni);
      const tls = { ...one, changed: one.changed || sni.changed, sni: sni.serials };
      const virusChanged = await stageVirus(ctx, m, input.virus);
      const spamChanged = (await stageSpam(ctx, m, input.spam, input.virus)) || virusChanged;
      return { mapsChanged, usersChanged: usersChanged || sieveChanged, tls, spamChanged };
    });
    const mapMs = Math.round(performance.now() - started);
    const tlsSerial = tls.serial;
    const sniSerials = tls.sni.map(({ id, serial }) => ({ id, serial }));
    if (!mapsChanged && !usersChanged && !tls.changed && !spamChanged)
      return { accepted: [], refused: [], mapMs, tlsSerial, sniSerials };
    const rspamd = spamChanged ? m.rspamd : undefined;
    await ctx.phase("test", async () => {
      await testConfig(ctx, m, input, files, tls.changed);
      if (rspamd) await testSpam(ctx, rspamd);
    });
    await ctx.phase("activate", async () => {
      if (rspamd) {
        ctx.onRollback("reload rspamd", () => reloadSpam(ctx, rspamd));
        await reloadSpam(ctx, rspamd);
      }
      if (!mapsChanged && !tls.changed) return;
      const reload = async () => {
        await ctx.exec("postfix reload", postfix(m, "reload"));
        if (tls.changed)
          await ctx.exec("doveadm reload", [m.dovecot.doveadm, ...dovecotArgs(m), "reload"]);
      };
      ctx.onRollback("reload Postfix and Dovecot", reload);
      await reload();
    });
    // each a set of the file's keys, built once (per address it was O(N²): minutes at 5,000)
    const [accepts, acceptedBefore] = [acceptedBy(files), acceptedBy(before)];
    const addresses = [...new Set([...addressesOf(before), ...addressesOf(files)])];
    const accepted = addresses.filter((a) => accepts(a) && !acceptedBefore(a)).slice(0, SAMPLE);
    const refused = addresses.filter((a) => !accepts(a) && acceptedBefore(a)).slice(0, SAMPLE);
    const usersOf = (text: string) => new Set(text.split("\n").map((l) => l.split(":")[0] ?? ""));
    const [oldUsers, nowUsers] = [usersOf(before.users), usersOf(files.users)];
    const newUsers = [...nowUsers].filter((u) => u && !oldUsers.has(u)).slice(0, SAMPLE);
    const goneUsers = [...oldUsers].filter((u) => u && !nowUsers.has(u)).slice(0, SAMPLE);
    await ctx.phase("verify", async () => {
      await ctx.step("RCPT check", () => verifyRcpt(ctx, m, accepted, refused));
      await verifyUsers(ctx, m, newUsers, goneUsers);
      if (tlsSerial) await verifyServed(ctx, tlsSerial);
      for (const { name, serial } of tls.sni) await verifyServed(ctx, serial, name);
      if (rspamd) await verifySpam(ctx, rspamd, input.domains, input.spam);
      if (rspamd) await verifyVirus(ctx, rspamd, input.domains, input.virus);
    });
    return { accepted, refused, mapMs, tlsSerial, sniSerials };
  },
};
