// What a task does, in words a person reads in lists: "apply site example.com". One sentence
// per kind, from the kind, its payload and the name of its target (asked of the target's
// owner); an unknown kind says its kind and target.
import type { Task } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { namesOf } from "../audit/names.ts";
import { siteTitles } from "../sites/repo.ts";

type Untitled = Omit<Task, "title" | "targetName">;

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
export function titleOf(task: Untitled, targetName: string | null, removing = false): string {
  const target = targetName ?? task.targetId;
  if (removing) return `delete site ${target ?? "(unknown)"}`;
  const known = describe[task.kind];
  if (known) return known(target);
  return target && task.targetType ? `${task.kind} ${task.targetType} ${target}` : task.kind;
}

/**
 * The tasks with their targets' names and titles, in one statement: the sites' rows also tell
 * which tasks remove their site.
 */
export async function withNames(db: Kysely<Database>, tasks: Task[]): Promise<Task[]> {
  const names = await namesOf(
    db,
    tasks.map((t) => ({ type: t.targetType, id: t.targetId })),
    { site: siteTitles },
  );
  const removals = new Set<string>();
  for (const site of names.rows("site")) if (site.extra) removals.add(site.extra);
  return tasks.map((t) => {
    const targetName = names.name(t.targetType, t.targetId);
    const removing = t.kind === "site.apply" && removals.has(t.id);
    return { ...t, targetName, title: titleOf(t, targetName, removing) };
  });
}
