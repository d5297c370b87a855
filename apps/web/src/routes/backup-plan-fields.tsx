// A plan's "when and how" with sensible defaults: a schedule picked in words (every day at
// 03:00 by default, or a cron expression of one's own, or only when run) in the browser's time
// zone; keep the last 7, or grandfather-father-son; encrypted with a key pair the panel keeps,
// one's own public keys, or not at all; zstd level 3; one run at a time on a node.
import { TextField } from "../components/text-field.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select, Textarea } from "../components/ui/input.tsx";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";

export type PlanInput =
  paths["/api/v1/backup-plans"]["post"]["requestBody"]["content"]["application/json"];

const SCHEDULES = [
  { value: "0 3 * * *", label: "Every day at 03:00" },
  { value: "0 * * * *", label: "Every hour" },
  { value: "0 3 * * 0", label: "Every Sunday at 03:00" },
  { value: "custom", label: "A cron expression of my own" },
  { value: "none", label: "Only when run" },
] as const;

export interface PlanChoices {
  name: string;
  schedule: string;
  cron: string;
  timeZone: string;
  retention: "keep" | "gfs";
  keepLast: string;
  encryption: "panel" | "recipients" | "none";
  recipients: string;
  level: string;
}

export const defaultChoices = (): PlanChoices => ({
  name: "",
  schedule: "0 3 * * *",
  cron: "",
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  retention: "keep",
  keepLast: "7",
  encryption: "panel",
  recipients: "",
  level: "3",
});

/** The picker's choice for a plan's schedule: one of the presets, none, or a cron of its own. */
export function scheduleChoice(schedule: string | null): Pick<PlanChoices, "schedule" | "cron"> {
  if (schedule === null) return { schedule: "none", cron: "" };
  return SCHEDULES.some((s) => s.value === schedule)
    ? { schedule, cron: "" }
    : { schedule: "custom", cron: schedule };
}

/** What a number field holds: a number, or the text itself so the API names what is wrong. */
export const numberOf = (text: string) =>
  /^\s*\d+\s*$/.test(text) ? Number(text) : (text as never);

export function planInput(
  c: PlanChoices,
  parts: { accountId: string; sourceIds: string[]; destinationIds: string[] },
): PlanInput {
  const schedule =
    c.schedule === "none" ? null : c.schedule === "custom" ? c.cron.trim() : c.schedule;
  return {
    ...parts,
    name: c.name.trim(),
    schedule,
    timeZone: c.timeZone.trim(),
    compressionLevel: numberOf(c.level),
    retention:
      c.retention === "keep"
        ? { keepLast: numberOf(c.keepLast) }
        : { gfs: { hourly: 24, daily: 7, weekly: 4, monthly: 12, yearly: 2 } },
    encryption:
      c.encryption === "recipients"
        ? {
            mode: "recipients",
            recipients: c.recipients
              .split("\n")
              .map((l) => l.trim())
              .filter(Boolean),
          }
        : { mode: c.encryption },
  };
}

export const PLAN_FIELDS = [
  "name",
  "schedule",
  "timeZone",
  "compressionLevel",
  "retention",
  "retention.keepLast",
  "encryption",
  "encryption.recipients",
  ...Array.from({ length: 16 }, (_, i) => `encryption.recipients.${i}`),
];

export function PlanFields({
  choices: c,
  set,
  error,
  modeFixed,
}: {
  choices: PlanChoices;
  set: (patch: Partial<PlanChoices>) => void;
  error: unknown;
  /** an existing plan's: its encryption mode cannot change (its artifacts need its key) */
  modeFixed?: boolean;
}) {
  const recipientErrors = Array.from({ length: 16 }, (_, i) =>
    fieldError(error, `encryption.recipients.${i}`),
  )
    .map((m, i) => (m ? `key ${i + 1}: ${m}` : ""))
    .filter(Boolean)
    .join("\n");
  return (
    <>
      <TextField
        label="Plan name"
        field="name"
        value={c.name}
        onValue={(name) => set({ name })}
        maxLength={100}
      />
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <Field
          label="When"
          error={c.schedule === "custom" ? undefined : fieldError(error, "schedule")}
        >
          <Select value={c.schedule} onChange={(e) => set({ schedule: e.target.value })}>
            {SCHEDULES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
        </Field>
        <TextField
          label="Time zone"
          field="timeZone"
          hint="Where the schedule's hours are, and retention's days."
          value={c.timeZone}
          onValue={(timeZone) => set({ timeZone })}
          code
        />
      </div>
      {c.schedule === "custom" ? (
        <TextField
          label="Cron expression"
          field="schedule"
          hint="Five fields (minute hour day month weekday), e.g. 30 2 * * 1-5."
          value={c.cron}
          onValue={(cron) => set({ cron })}
          placeholder="30 2 * * 1-5"
          code
        />
      ) : null}
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <Field label="Retention" error={fieldError(error, "retention")}>
          <Select
            value={c.retention}
            onChange={(e) => set({ retention: e.target.value as PlanChoices["retention"] })}
          >
            <option value="keep">Keep the last few</option>
            <option value="gfs">
              24 hourly, 7 daily, 4 weekly, 12 monthly, 2 yearly (grandfather-father-son)
            </option>
          </Select>
        </Field>
        {c.retention === "keep" ? (
          <TextField
            label="How many to keep"
            field="retention.keepLast"
            inputMode="numeric"
            value={c.keepLast}
            onValue={(keepLast) => set({ keepLast })}
          />
        ) : null}
      </div>
      <div className="grid items-start gap-4 sm:grid-cols-[1fr_10rem]">
        <Field
          label="Encryption"
          hint={
            modeFixed
              ? "Fixed: the artifacts made so far need this mode's key (a new plan for another)."
              : c.encryption === "panel"
                ? "The panel makes a key pair and keeps its private key sealed with the master key."
                : c.encryption === "recipients"
                  ? "Only your private keys open the artifacts: keep them safe."
                  : "Anyone who can read the destination can read the backups."
          }
          error={fieldError(error, "encryption")}
        >
          <Select
            value={c.encryption}
            disabled={modeFixed}
            onChange={(e) => set({ encryption: e.target.value as PlanChoices["encryption"] })}
          >
            <option value="panel">Encrypted, key kept by the panel</option>
            <option value="recipients">Encrypted for my own public keys</option>
            <option value="none">Not encrypted</option>
          </Select>
        </Field>
        <TextField
          label="zstd level"
          field="compressionLevel"
          inputMode="numeric"
          hint="1 (fast) to 19"
          value={c.level}
          onValue={(level) => set({ level })}
        />
      </div>
      {c.encryption === "recipients" ? (
        <Field
          label="Public keys"
          hint="X25519 public keys in base64 (steward backup keygen prints one), one a line."
          error={fieldError(error, "encryption.recipients") ?? (recipientErrors || undefined)}
        >
          <Textarea
            className="font-mono text-xs"
            rows={2}
            value={c.recipients}
            onChange={(e) => set({ recipients: e.target.value })}
            spellCheck={false}
          />
        </Field>
      ) : null}
    </>
  );
}
