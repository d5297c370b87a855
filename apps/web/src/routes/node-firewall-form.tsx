// The firewall's editor: the rules staged here (add one, remove one), blocked addresses (one
// a line), the SSH limit, how long the node waits for the confirmation and who gives it; Apply
// saves them and queues the apply. The panel refuses rules that would close SSH or the
// agent's port, and says so above the button.
import { FIREWALL_SERVICES } from "@steward/contracts/firewall";
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ListField } from "../components/list-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { type FirewallRule, type FirewallView, firewallKey, RulesTable } from "./node-firewall.tsx";
import { parseNames } from "./site-form-parts.tsx";

const SERVICES = Object.keys(FIREWALL_SERVICES);

export function FirewallForm({ fw, onDone }: { fw: FirewallView; onDone: () => void }) {
  const [rules, setRules] = useState<FirewallRule[]>(fw.rules);
  const [blocked, setBlocked] = useState(fw.blocked.join("\n"));
  const [limit, setLimit] = useState(fw.sshRateLimit === null ? "" : String(fw.sshRateLimit));
  const [seconds, setSeconds] = useState(String(fw.confirmSeconds));
  const [auto, setAuto] = useState(fw.autoConfirm);
  const [bans, setBans] = useState(fw.sshBans !== null);
  const [ban, setBan] = useState({
    maxFailures: String(fw.sshBans?.maxFailures ?? 5),
    findSeconds: String(fw.sshBans?.findSeconds ?? 600),
    banSeconds: String(fw.sshBans?.banSeconds ?? 3600),
  });
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PUT("/api/v1/nodes/{id}/firewall", {
          params: { path: { id: fw.node } },
          body: {
            rules,
            blocked: parseNames(blocked),
            sshRateLimit: limit.trim() === "" ? null : Number(limit),
            sshBans: bans
              ? {
                  maxFailures: Number(ban.maxFailures),
                  findSeconds: Number(ban.findSeconds),
                  banSeconds: Number(ban.banSeconds),
                }
              : null,
            confirmSeconds: Number(seconds),
            autoConfirm: auto,
          },
        }),
      ),
    { invalidate: [firewallKey(fw.node), ["tasks"]], onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <RulesTable rules={rules} onRemove={(i) => setRules(rules.filter((_, j) => j !== i))} />
      <AddRule onAdd={(r) => setRules([...rules, r])} />
      <ListField
        label="Blocked addresses"
        hint="Addresses or CIDR ranges, one per line: refused on every port before any rule."
        error={fieldError(save.error, "blocked")}
        value={blocked}
        onValue={setBlocked}
        className="min-h-16"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="SSH limit (new connections a minute per address)"
          hint="Empty: no limit."
          error={fieldError(save.error, "sshRateLimit")}
        >
          <Input inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} />
        </Field>
        <Field
          label="Revert unless confirmed within (seconds)"
          error={fieldError(save.error, "confirmSeconds")}
        >
          <Input inputMode="numeric" value={seconds} onChange={(e) => setSeconds(e.target.value)} />
        </Field>
      </div>
      <Checkbox
        label="Ban addresses with failed SSH logins"
        hint="The node reads its auth log; the panel's addresses are never banned."
        checked={bans}
        onChange={setBans}
      />
      {bans ? (
        <div className="grid gap-4 sm:grid-cols-3">
          {(
            [
              ["maxFailures", "Failed logins"],
              ["findSeconds", "Within (seconds)"],
              ["banSeconds", "Ban for (seconds)"],
            ] as const
          ).map(([key, label]) => (
            <Field key={key} label={label} error={fieldError(save.error, `sshBans.${key}`)}>
              <Input
                inputMode="numeric"
                value={ban[key]}
                onChange={(e) => setBan({ ...ban, [key]: e.target.value })}
              />
            </Field>
          ))}
        </div>
      ) : null}
      <Checkbox
        label="The panel confirms by itself"
        hint="Once it reaches the node again after the apply. Off: you confirm on this page in time."
        checked={auto}
        onChange={setAuto}
      />
      <ErrorAlert error={save.error} />
      <FormActions submitLabel="Apply" busy={save.isPending} onCancel={onDone} />
    </form>
  );
}

function AddRule({ onAdd }: { onAdd: (r: FirewallRule) => void }) {
  const [action, setAction] = useState<"allow" | "deny">("allow");
  const [what, setWhat] = useState("ssh");
  const [ports, setPorts] = useState("");
  const [protocol, setProtocol] = useState<"tcp" | "udp">("tcp");
  const [source, setSource] = useState("");
  const add = () => {
    const rule: FirewallRule = { action, protocol };
    if (what === "ports") rule.ports = ports.trim();
    else if (what !== "all") rule.service = what as FirewallRule["service"];
    if (source.trim()) rule.source = source.trim();
    onAdd(rule);
    setPorts("");
    setSource("");
  };
  return (
    <fieldset className="grid gap-3 rounded-md border border-border p-3">
      <legend className="px-1 text-sm font-medium">Add a rule</legend>
      <div className="grid gap-3 sm:grid-cols-5">
        <Field label="Action">
          <Select value={action} onChange={(e) => setAction(e.target.value as "allow" | "deny")}>
            <option value="allow">allow</option>
            <option value="deny">deny</option>
          </Select>
        </Field>
        <Field label="Service">
          <Select value={what} onChange={(e) => setWhat(e.target.value)}>
            {SERVICES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
            <option value="ports">ports…</option>
            <option value="all">every port</option>
          </Select>
        </Field>
        <Field label="Ports" hint="22 or 8000-8100">
          <Input
            value={ports}
            disabled={what !== "ports"}
            onChange={(e) => setPorts(e.target.value)}
          />
        </Field>
        <Field label="Protocol">
          <Select
            value={protocol}
            disabled={what !== "ports"}
            onChange={(e) => setProtocol(e.target.value as "tcp" | "udp")}
          >
            <option value="tcp">tcp</option>
            <option value="udp">udp</option>
          </Select>
        </Field>
        <Field label="From" hint="anywhere when empty">
          <Input
            value={source}
            placeholder="203.0.113.0/24"
            onChange={(e) => setSource(e.target.value)}
          />
        </Field>
      </div>
      <div>
        <Button type="button" variant="secondary" onClick={add}>
          Add rule
        </Button>
      </div>
    </fieldset>
  );
}
