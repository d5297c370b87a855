// What a task does, in words a person reads in lists: "apply site example.com". One sentence
// per kind, from the kind, its payload and the name of its target (asked of the target's
// owner); an unknown kind says its kind and target.
import type { Task } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { namesOf } from "../audit/names.ts";
import { deletingTaskIds } from "../sites/repo.ts";

type Untitled = Omit<Task, "title" | "targetName">;

/** Each kind's sentence; `target` is the target's name, or its id once it no longer exists. */
const describe: Record<string, (target: string | null) => string> = {
  "site.apply": (site) => `apply site ${site ?? "(unknown)"}`,
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

/** The tasks with their targets' names and titles (one query per target type). */
export async function withNames(db: Kysely<Database>, tasks: Task[]): Promise<Task[]> {
  const nameOf = await namesOf(
    db,
    tasks.map((t) => ({ type: t.targetType, id: t.targetId })),
  );
  const removals = await deletingTaskIds(
    db,
    tasks.flatMap((t) => (t.kind === "site.apply" && t.targetId ? [t.targetId] : [])),
  );
  return tasks.map((t) => {
    const targetName = nameOf(t.targetType, t.targetId);
    return { ...t, targetName, title: titleOf(t, targetName, removals.has(t.id)) };
  });
}
