// The access rule (docs/access.md): outside apps/server/src/access/, code asks the named
// policies (access/policies/) and enforces their decisions; it never inspects roles, super
// flags or key scopes itself, nor reaches the role machinery behind the policies.
import { posix } from "node:path";
import type { Node, Program } from "acorn";
import { simple } from "acorn-walk";

export interface Violation {
  line: number;
  what: string;
}

/** What may be imported from each file of access/ outside it; policies/ is open. */
const ALLOWED_IMPORTS: Record<string, string[]> = {
  "actor-cache.ts": ["createActorCache", "ResolvedActor"],
  "actor-changes.ts": ["actorsChanged"],
  "decision.ts": ["enforce", "requireActor"],
  "service.ts": [
    "grantsOf",
    "membershipOf",
    "keepAnotherSuper",
    "keepSuperOnDisable",
    "SUPER_GROUP",
  ],
  "types.ts": ["systemActor"],
};
/** The caller's flags: only policies read them. */
const ACTOR_FLAGS = new Set(["isSuper", "groupIds"]);
const EQUALITY = new Set(["===", "!==", "==", "!="]);
const ORDER = new Set(["<", "<=", ">", ">=", "===", "!==", "==", "!="]);

type AnyNode = Node & Record<string, unknown>;
const nameOf = (node: unknown): string | undefined => {
  const n = node as AnyNode | undefined;
  if (n?.type === "Identifier") return n.name as string;
  if (n?.type === "Literal" && typeof n.value === "string") return n.value;
  return undefined;
};
const isActor = (node: unknown): boolean => {
  const n = node as AnyNode;
  if (n.type === "Identifier") return /actor$/i.test(n.name as string);
  if (n.type === "MemberExpression") return nameOf(n.property) === "actor";
  return false;
};
/** The super group, by its constant or its id. */
const SUPER_GROUP_NAMES = new Set(["SUPER_GROUP", "super"]);
const isSuperGroup = (node: unknown) => SUPER_GROUP_NAMES.has(nameOf(node) ?? "");
const isRankCall = (node: unknown) => {
  const n = node as AnyNode;
  return (
    n.type === "CallExpression" &&
    ["roleRank", "effectiveRank", "scopeCap"].includes(nameOf(n.callee) ?? "")
  );
};

/** The places `program` (the source of `path`, relative to the repository) breaks the rule. */
export function accessViolations(path: string, program: Program): Violation[] {
  const found: Violation[] = [];
  const at = (node: Node, what: string) => found.push({ line: node.loc?.start.line ?? 0, what });
  simple(program, {
    MemberExpression(node) {
      const property = node.computed ? undefined : nameOf(node.property);
      if (property && ACTOR_FLAGS.has(property)) at(node, `reads .${property}`);
      if (property === "scopes" && isActor(node.object)) at(node, "reads the actor's key scopes");
    },
    BinaryExpression(node) {
      if (EQUALITY.has(node.operator) && (isSuperGroup(node.left) || isSuperGroup(node.right)))
        at(node, "compares with the super group");
      if (ORDER.has(node.operator) && (isRankCall(node.left) || isRankCall(node.right)))
        at(node, "compares role ranks");
    },
    ImportDeclaration(node) {
      const source = String(node.source.value);
      if (!source.startsWith(".")) return;
      const target = posix.join(posix.dirname(path), source);
      const inside = target.match(/^apps\/server\/src\/access\/(.+)$/)?.[1];
      if (!inside || inside.startsWith("policies/")) return;
      const allowed = ALLOWED_IMPORTS[inside] ?? [];
      for (const specifier of node.specifiers) {
        const imported =
          specifier.type === "ImportSpecifier" ? nameOf(specifier.imported) : undefined;
        if (!imported || !allowed.includes(imported))
          at(node, `imports ${imported ?? "*"} from access/${inside}`);
      }
    },
  });
  return found;
}
