// Notification rules as files (`notification-rule/<account>--<name>.yaml`; an installation
// rule's `notification-rule/<name>.yaml`), with the rule API's own validators. The channels a
// rule sends to are named by their files' names (`shop--alerts`), always channels of the
// rule's scope; a rule scoped to one target names it: a monitor by its file's name, a node by
// its name (a rule for one target of another type is not covered yet).
import { z } from "zod";
import { ruleScope, ruleSettings } from "../notifications/rules.ts";
import { ruleName } from "../notifications/rules-api.ts";
import { slug } from "../validators.ts";
import { stateFileName } from "./names.ts";

/** The target types a rule's file can name one target of, and what names it. */
export const ruleTargetTypes = ["monitor", "node"] as const;

const scopeFile = z
  .strictObject({
    targetType: ruleScope.unwrap().shape.targetType,
    /** a monitor's file name or a node's name; null: every target of the type */
    target: stateFileName.nullable().default(null),
  })
  .refine(
    (s) => s.target === null || (ruleTargetTypes as readonly string[]).includes(s.targetType),
    { message: `can name one ${ruleTargetTypes.join(" or ")} only`, path: ["target"] },
  );

export const ruleFile = z
  .strictObject({
    name: ruleName,
    /** null: an installation rule */
    account: slug.nullable().default(null),
    enabled: z.boolean().default(true),
    settings: ruleSettings
      .omit({ scope: true })
      .extend({ scope: scopeFile.nullable().default(null) }),
    /** the channels' file names, sorted */
    channels: z
      .array(stateFileName)
      .min(1, "must name at least one channel")
      .max(20, "must name at most 20 channels")
      .transform((names) => [...new Set(names)].sort()),
  })
  .superRefine((r, ctx) => {
    r.channels.forEach((c, i) => {
      const ok = r.account === null ? !c.includes("--") : c.startsWith(`${r.account}--`);
      if (!ok)
        ctx.addIssue({
          code: "custom",
          path: ["channels", i],
          message:
            r.account === null
              ? "must be an installation channel (no account--)"
              : `must be a channel of account ${r.account} (${r.account}--<name>)`,
        });
    });
  });
export type RuleFile = z.infer<typeof ruleFile>;
