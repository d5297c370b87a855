// What a task does, in words a person reads in lists: "apply site example.com". One sentence
// per kind, from the kind, its payload and the name of its target (asked of the target's
// owner); an unknown kind says its kind and target.
import type { TaskRow } from "../../engine/types.ts";

/** Each kind's sentence; `target` is the target's name, or its id once it no longer exists. */
const describe: Record<string, (target: string | null) => string> = {
  "site.apply": (site) => `apply site ${site ?? "(unknown)"}`,
  "dns.zone.apply": (zone) => `apply DNS zone ${zone ?? "(unknown)"}`,
  "app.deploy": (app) => `deploy app ${app ?? "(unknown)"}`,
  "engine.prune": () => "prune a node's container engine",
  "sysusers.apply": (main) => `apply the system users of ${main ?? "(unknown)"}`,
  "cron.apply": (command) => `write the cron file of job ${command?.slice(0, 60) ?? "(unknown)"}`,
  "cron.run": (command) => `run cron job ${command?.slice(0, 60) ?? "(unknown)"}`,
  "node.heartbeat": (node) => (node ? `check node ${node}` : "check every node"),
  "node.facts": (node) => (node ? `read the facts of node ${node}` : "read every node's facts"),
  "node.rotate-cert": (node) =>
    node ? `renew the certificate of node ${node}` : "renew node certificates that expire soon",
  logrotate: () => "rotate the panel's logs",
  noop: () => "do nothing (a test task)",
};

/** `removing`: the task deletes its site (the "deleting" site's row points at it). */
export function titleOf(
  task: Pick<TaskRow, "kind" | "target_type" | "target_id">,
  targetName: string | null,
  removing = false,
): string {
  const target = targetName ?? task.target_id;
  if (removing) return `delete site ${target ?? "(unknown)"}`;
  const known = describe[task.kind];
  if (known) return known(target);
  return target && task.target_type ? `${task.kind} ${task.target_type} ${target}` : task.kind;
}
