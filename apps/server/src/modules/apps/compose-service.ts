// Compose apps and one-click apps (docs/apps.md): an account's admins create an app from a
// compose file, or from an entry of the catalog (its secrets generated), checked against
// what the node allows before anything is stored; deploy, start, stop, restart and remove are
// the apps service's (compose.up, compose.action, compose.down on the node). Super users
// decide what compose files may ask of a node beyond an app's sandbox.
import type { AppComposeCreate, ComposeAllowance } from "@steward/contracts/apps";
import { enforce } from "../../access/decision.ts";
import { apps as policy } from "../../access/policies/apps.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { conflict } from "../../lib/errors.ts";
import { usableNode } from "../nodes/usable.ts";
import { catalog } from "./catalog.ts";
import {
  type ComposeSpec,
  checkOrRefuse,
  composeSource,
  composeSpecOf,
  imagesOf,
  ingressOf,
} from "./compose-app.ts";
import { allowancesOf, setAllowances } from "./compose-repo.ts";
import { splitEnv } from "./new-app.ts";
import * as repo from "./repo.ts";
import type { AppsService } from "./service.ts";

interface Deps {
  db: Db;
  secrets: Secrets;
  apps: () => AppsService;
}

export function createComposeService({ db, secrets, apps }: Deps) {
  const k = db.db;
  return {
    catalog: () => ({ items: catalog() }),

    async create(ctx: Ctx, input: AppComposeCreate) {
      const svc = apps();
      await svc.admit(ctx, input.account, input.node);
      const source = composeSource(input);
      const { plain, hidden } = splitEnv(source.env);
      const stack = checkOrRefuse(
        source.file,
        { ...plain, ...hidden },
        await allowancesOf(k, input.node),
      );
      const ingress = ingressOf(stack, input.domain, input.ingressService, "ingressService");
      return svc.insertNew(ctx, {
        account: input.account,
        node: input.node,
        name: source.name,
        image: imagesOf(stack.services),
        source: "compose",
        env: source.env,
        spec: (plain): ComposeSpec => ({
          source: "compose",
          compose: source.file,
          env: plain,
          services: stack.services,
          volumes: stack.volumes,
          ingress,
        }),
        domain: input.domain,
        audit: {
          source: "compose",
          catalog: input.catalog ?? null,
          services: stack.services.map((s) => s.name),
          domain: input.domain ?? null,
          ingressService: ingress,
        },
      });
    },

    /** A new file for a compose app (its variables kept), checked now and deployed. */
    async update(ctx: Ctx, id: string, file: string) {
      const svc = apps();
      const row = await svc.mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      const spec = composeSpecOf(row);
      if (!spec) throw conflict(`app ${row.name} runs an image, not a compose file`, "compose");
      if (spec.repoFile)
        throw conflict(
          `app ${row.name}'s compose file is ${spec.repoFile} of its git repository: push a change there`,
          "compose",
        );
      const sealed = row.secrets_sealed
        ? (JSON.parse(secrets.open(row.secrets_sealed)) as Record<string, string>)
        : {};
      const stack = checkOrRefuse(
        file,
        { ...spec.env, ...sealed },
        await allowancesOf(k, row.node_id),
      );
      // the site's service must still publish a TCP port (or another one takes its place)
      const ingress = ingressOf(
        stack,
        row.domain,
        spec.ingress && stack.services.some((s) => s.name === spec.ingress) ? spec.ingress : null,
        "compose",
      );
      const next: ComposeSpec = {
        ...spec,
        compose: file,
        services: stack.services,
        volumes: stack.volumes,
        ingress,
      };
      await k.transaction().execute(async (trx) => {
        const changed = { ...row, spec: JSON.stringify(next), image: imagesOf(stack.services) };
        await repo.updateApp(trx, id, { spec: changed.spec, image: changed.image });
        await svc.enqueueDeploy(trx, changed);
        await svc.audit(trx, ctx, "app.compose", row, {
          before: { services: spec.services.map((s) => s.name) },
          after: { services: stack.services.map((s) => s.name) },
        });
      });
      return svc.get(ctx, id);
    },

    async allowances(ctx: Ctx, nodeId: string) {
      enforce(ctx, policy.canUseEngine(ctx));
      await usableNode(k, nodeId);
      return { node: nodeId, allow: await allowancesOf(k, nodeId) };
    },

    async setAllowances(ctx: Ctx, nodeId: string, allow: ComposeAllowance[]) {
      enforce(ctx, policy.canUseEngine(ctx));
      await usableNode(k, nodeId);
      const unique = [...new Set(allow)].sort();
      await k.transaction().execute(async (trx) => {
        const before = await allowancesOf(trx, nodeId);
        await setAllowances(trx, nodeId, unique);
        await recordAudit(trx, ctx, {
          action: "node.compose_allow",
          targetType: "node",
          targetId: nodeId,
          diff: { before, after: unique },
        });
      });
      return { node: nodeId, allow: unique };
    },
  };
}

export type ComposeService = ReturnType<typeof createComposeService>;
