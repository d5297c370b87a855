// The enabled rules with their channels, as the dispatcher matches events against them: read
// once, again after a change in this process (`invalidate`, called by the rules' service) and
// after a few seconds for a change made by another panel process.
import { type RuleSettings, ruleSettings } from "@steward/contracts/notifications";
import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.ts";
import { enabledRules, ruleChannelIds } from "./repo.ts";

export interface CachedRule {
  id: string;
  accountId: string | null;
  name: string;
  settings: RuleSettings;
  channelIds: string[];
}

const FRESH_MS = 5_000;

export function createRuleCache(db: Kysely<Database>) {
  let rules: CachedRule[] | null = null;
  let readAt = 0;

  async function load(): Promise<CachedRule[]> {
    const rows = await enabledRules(db);
    const channels = await ruleChannelIds(
      db,
      rows.map((r) => r.id),
    );
    return rows.flatMap((r) => {
      const parsed = ruleSettings.safeParse(JSON.parse(r.settings));
      if (!parsed.success) return [];
      return [
        {
          id: r.id,
          accountId: r.account_id,
          name: r.name,
          settings: parsed.data,
          channelIds: channels.get(r.id) ?? [],
        },
      ];
    });
  }

  return {
    async rules(now = Date.now()): Promise<CachedRule[]> {
      if (!rules || now - readAt > FRESH_MS) {
        rules = await load();
        readAt = now;
      }
      return rules;
    },
    invalidate() {
      rules = null;
    },
  };
}

export type RuleCache = ReturnType<typeof createRuleCache>;
