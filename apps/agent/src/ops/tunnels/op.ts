// tunnel.ingress (contracts/agent/tunnels.ts): the node's cloudflared ingress, read for a
// preview, or one hostname added or removed (ingress.ts). A change is validated (cloudflared's
// `tunnel --config <candidate> ingress validate` when its binary is installed, always the
// agent's schema check), the previous file copied to `config.yml.steward-backup`, the new one
// written atomically with the old one's mode and owner, and the tunnel's service restarted
// (systemd); any failure puts the previous file back (the framework's rollback) and restarts
// with it. Without systemd the answer says the restart is the node owner's to do.
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TunnelIngressOutput } from "@steward/contracts/agent";
import { readIfExists } from "../../system/files.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import type { Rule } from "./ingress.ts";

export const BACKUP_SUFFIX = ".steward-backup";

/** the YAML editing (and the `yaml` package) loads with the first tunnel operation */
const ingress = () => import("./ingress.ts");

async function parse(text: string) {
  const { readConfig, rulesOf } = await ingress();
  const parsed = readConfig(text);
  if ("error" in parsed) throw new OpFailure("CONFIG", parsed.error);
  const rules = rulesOf(parsed.doc);
  if (typeof rules === "string") throw new OpFailure("CONFIG", `config.yml: ${rules}`);
  return { doc: parsed.doc, rules };
}

/** cloudflared's own check of a candidate file, or null when the binary is not installed. */
async function validateWithCloudflared(ctx: OpContext, text: string): Promise<boolean> {
  const bin = ctx.config.cloudflared.bin;
  if (!existsSync(bin)) return false;
  const dir = await mkdtemp(join(tmpdir(), "steward-cloudflared-"));
  try {
    const candidate = join(dir, "config.yml");
    await writeFile(candidate, text, { mode: 0o600 });
    await ctx.exec("cloudflared validates the new ingress", [
      bin,
      "tunnel",
      "--config",
      candidate,
      "ingress",
      "validate",
    ]);
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function restart(ctx: OpContext): Promise<string | null> {
  const { systemd, systemctl } = ctx.config;
  const unit = ctx.config.cloudflared.unit;
  if (!systemd)
    return `this node has no systemd: restart cloudflared (${unit}) yourself to apply the new ingress`;
  ctx.onRollback(`restart ${unit} with the previous configuration`, async () => {
    await ctx.exec(`restart ${unit} (previous configuration)`, [systemctl, "restart", unit], {
      allowFailure: true,
    });
  });
  await ctx.exec(`restart ${unit}`, [systemctl, "restart", unit]);
  ctx.changed();
  return null;
}

const same = (a: Rule[], b: Rule[]) => JSON.stringify(a) === JSON.stringify(b);

export const tunnelIngress: OpHandler<"tunnel.ingress"> = {
  name: "tunnel.ingress",
  services: ["cloudflared"],
  async run(ctx, input) {
    const file = ctx.config.cloudflared.configFile;
    const text = await ctx.step(`read ${file}`, async () => {
      const content = await readIfExists(file);
      if (content === null)
        throw new OpFailure(
          "CONFIG",
          `${file} does not exist: is cloudflared set up on this node?`,
        );
      return content.toString("utf8");
    });
    const { addRule, checkRules, removeRule, tunnelOf } = await ingress();
    const { doc, rules } = await parse(text);
    const answer = (o: Partial<TunnelIngressOutput>): TunnelIngressOutput => ({
      changed: false,
      config: text,
      tunnel: tunnelOf(doc),
      ingress: rules,
      validatedBy: null,
      backup: null,
      restarted: false,
      note: null,
      ...o,
    });
    if (input.action === "read") return answer({});

    const next = await ctx.phase("stage", async () => {
      if (input.action === "add") {
        const why = addRule(doc, input.hostname, `http://localhost:${input.port}`);
        if (why) throw new OpFailure(why.includes("already routed") ? "NAME_TAKEN" : "CONFIG", why);
      } else {
        const removed = removeRule(doc, input.hostname);
        if (typeof removed === "string") throw new OpFailure("CONFIG", `config.yml: ${removed}`);
        if (!removed) return null;
      }
      return doc.toString();
    });
    if (next === null) return answer({});
    const after = (await parse(next)).rules;

    const validatedBy = await ctx.phase("test", async () => {
      const bad = await ctx.step("check the new ingress", () => checkRules(after));
      if (bad) throw new OpFailure("CONFIG", `the new ingress would not be valid: ${bad}`);
      return (await validateWithCloudflared(ctx, next)) ? "cloudflared" : "schema";
    });

    const backup = `${file}${BACKUP_SUFFIX}`;
    const note = await ctx.phase("activate", async () => {
      const st = await stat(file);
      const keep = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
      await ctx.writeFile(backup, text, keep);
      await ctx.writeFile(file, next, keep);
      return restart(ctx);
    });

    await ctx.phase("verify", () =>
      ctx.step(`read ${file} back`, async () => {
        const written = (await parse((await readIfExists(file))?.toString("utf8") ?? "")).rules;
        if (!same(written, after))
          throw new OpFailure("VERIFY_FAILED", `${file} does not hold the new ingress`);
      }),
    );
    return answer({
      changed: true,
      config: next,
      ingress: after,
      validatedBy,
      backup,
      restarted: note === null,
      note,
    });
  },
};
