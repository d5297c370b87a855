// `steward cms policy …` and `steward cms history`: the fleet's update policies
// (docs/cms.md#update-policies) and a site's update history (`--bulk` updates: cms-bulk.ts).
// Input passes the API's own schemas; a refused value names its option.
import { type UpdatePolicy, updatePolicyListQuery, updatePolicySet, v } from "@steward/contracts";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
/** A repeatable option's values (`--site a --site b`). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

const windowText = (p: { window: UpdatePolicy["window"] }) =>
  p.window ? `${p.window.start} +${p.window.durationMinutes}m ${p.window.days.join(",")}` : null;
const visualText = (p: { visualCheck: string | null; visualThreshold: number | null }) =>
  p.visualCheck === "on" ? `on (${p.visualThreshold ?? "default"}%)` : p.visualCheck;
const policyRow = (p: UpdatePolicy) => ({
  id: p.id,
  site: p.siteId ?? "(defaults)",
  extension: p.type ? `${p.type}${p.slug ? ` ${p.slug}` : ""}` : "(all)",
  level: p.level,
  stable: p.stableOnly,
  window: windowText(p),
  keyword: p.keyword,
  skip: p.skipVersion,
  visual: visualText(p),
});

/** The service's refusal of an input field, named as the option that carried it. */
export async function asOptions<T>(work: Promise<T>, names: Record<string, string>): Promise<T> {
  const { AppError } = await import("@steward/server/admin");
  return work.catch((e: unknown) => {
    const field = e instanceof AppError ? e.details?.[0]?.field : undefined;
    const option = field ? names[field] : undefined;
    if (e instanceof AppError && option)
      throw new UsageError(`${option}: ${e.message.replace(/^[^:]*: /, "")}`);
    throw e;
  });
}

const POLICY_OPTIONS = {
  account: "--account",
  site: "--site",
  type: "--core",
  slug: "--plugin",
  level: "--level",
  window: "--window",
  "window.start": "--window",
  "window.durationMinutes": "--duration",
  "window.days": "--days",
  keyword: "--keyword",
  skipVersion: "--skip-version",
  visualCheck: "--visual-check",
  visualThreshold: "--visual-threshold",
};

export function cmsUpdateCommands(cms: Command, g: () => GlobalOptions) {
  const policy = cms
    .command("policy")
    .description("update policies: the account's defaults, a site's, an extension's");
  policy
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .option("--site <id>", "only this site's own policies")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const query = parse(
          updatePolicyListQuery,
          { account, site: o.site },
          { account: "--account", site: "--site" },
        );
        const items = await svc.cmsUpdates.listPolicies(ctx, query);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(policyRow) });
      });
    });
  policy
    .command("set")
    .description(
      "sets the policy of a scope (replacing it): the account's defaults, or --site's; all updates, or one extension",
    )
    .requiredOption("--account <account>", "id or slug")
    .option("--site <id>", "a site of the account (default: the account's defaults)")
    .option("--core", "WordPress itself")
    .option("--plugin <plugin>", "a plugin, as folder/file.php")
    .option("--theme <theme>", "a theme, as its folder")
    .option("--extension <slug>", "a Joomla extension, as Joomla names it (com_x, plg_system_x…)")
    .requiredOption("--level <level>", "none, notify, patch, minor or major")
    .option("--unstable", "also pre-releases (beta, RC)")
    .option("--window <HH:MM>", "updates start from this local time (the site's time zone)")
    .option("--duration <minutes>", "how long the window stays open", "120")
    .option("--days <days>", "the days the window opens: mon,tue,… (default every day)")
    .option("--keyword <text>", "text the home page must show before and after an update")
    .option("--skip-version <version>", "an offered version of the extension left alone")
    .option("--visual-check <on|off>", "screenshots of the home page compared around each update")
    .option("--visual-threshold <percent>", "the % of pixels an update may change (default 5)")
    .action(async (o) => {
      const types = [
        o.core && "core",
        o.plugin && "plugin",
        o.theme && "theme",
        o.extension && "extension",
      ].filter(Boolean);
      if (types.length > 1)
        throw new UsageError("--core, --plugin, --theme or --extension: name at most one");
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const slugOption = o.theme ? "--theme" : o.extension ? "--extension" : "--plugin";
        const names = { ...POLICY_OPTIONS, slug: slugOption };
        const input = parse(
          updatePolicySet,
          {
            account,
            site: o.site,
            type: types[0],
            slug: o.plugin ?? o.theme ?? o.extension,
            level: o.level,
            stableOnly: !o.unstable,
            window: o.window
              ? {
                  start: o.window,
                  durationMinutes: Number(o.duration),
                  days: o.days ? String(o.days).split(",") : undefined,
                }
              : undefined,
            keyword: o.keyword,
            skipVersion: o.skipVersion,
            visualCheck: o.visualCheck,
            visualThreshold:
              o.visualThreshold === undefined ? undefined : Number(o.visualThreshold),
          },
          names,
        );
        const saved = await asOptions(svc.cmsUpdates.setPolicy(ctx, input), names);
        if (g().json) return print(g(), saved);
        print(g(), policyRow(saved));
      });
    });
  policy
    .command("show")
    .description(
      "what applies to a site: level, window (its next opening), keyword, each offer judged",
    )
    .argument("<site>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const p = await svc.cmsUpdates.sitePolicy(ctx, ref);
        if (g().json) return print(g(), p);
        print(g(), {
          level: p.level,
          stableOnly: p.stableOnly,
          from: p.source,
          timezone: p.timezone,
          window: windowText(p),
          nextWindow: p.nextWindow,
          keyword: p.keyword,
          visualCheck: visualText(p),
        });
        print(g(), {
          items: p.offers.map((x) => ({
            update: `${x.type === "core" ? "core" : x.slug} ${x.from}→${x.to}`,
            level: x.level,
            policy: x.source,
            automatic: x.automatic,
            why: x.reason,
          })),
        });
      });
    });
  policy
    .command("remove")
    .argument("<policy>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        await svc.cmsUpdates.removePolicy(ctx, ref);
        if (g().json) return print(g(), { removed: ref });
        process.stdout.write(`update policy ${ref} removed\n`);
      });
    });
  cms
    .command("history")
    .description("a site's last 100 updates and their outcome")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const items = await svc.cmsUpdates.history(ctx, ref);
        if (g().json) return print(g(), { items });
        const rows = items.map((i) => ({
          ...i,
          visual: i.visual ? `${i.visual.percent ?? "skipped"}/${i.visual.threshold}%` : null,
        }));
        print(g(), { items: rows }, [
          "at",
          "type",
          "slug",
          "from",
          "to",
          "outcome",
          "visual",
          "message",
        ]);
      });
    });
}
