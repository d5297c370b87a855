// DNS providers: an account's admins add a Cloudflare token (checked against the API first,
// then sealed with the master key), test it again (its zones refreshed), and remove it; its
// readers list them. The token is never answered. dns-01 asks `dns01Of` for an account's.
import type { DnsProviderCreate } from "@steward/contracts";
import { enforce } from "../../access/decision.ts";
import { accounts } from "../../access/policies/accounts.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { CloudflareClient } from "../../integrations/cloudflare/client.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { Dns01Providers } from "../certificates/dns01.ts";
import { zoneOfProvider } from "../dns/repo.ts";
import { checkToken, clientFor, cloudflareDns01, TokenProblem } from "./cloudflare.ts";
import * as repo from "./repo.ts";

/** An account keeps at most this many providers. */
export const MAX_PER_ACCOUNT = 50;

interface Deps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
}

const checked = async <T>(work: Promise<T>): Promise<T> =>
  work.catch((err) => {
    if (err instanceof TokenProblem) throw invalid(err.field, err.message);
    throw err;
  });

/** The dns-01 providers of an account, for the certificates' orders. */
export function dns01Of({ db, secrets, settings }: Deps): Dns01Providers {
  return async (accountId) =>
    (await repo.providersOfAccount(db.db, accountId, MAX_PER_ACCOUNT)).map((row) =>
      cloudflareDns01(
        `cloudflare provider ${row.name}`,
        JSON.parse(row.zones) as string[],
        clientFor(secrets.open(row.token_enc), settings),
      ),
    );
}

/** A provider as the zones held at it use it: its account, name, zones and a client. */
export interface ProviderHandle {
  id: string;
  accountId: string;
  name: string;
  zones: string[];
  client: CloudflareClient;
}
export type ProviderHandles = (id: string) => Promise<ProviderHandle | null>;

/** Opens a provider's token for the zones at Cloudflare (modules/dns). */
export function providerHandles({ db, secrets, settings }: Deps): ProviderHandles {
  return async (id) => {
    const row = await repo.findProvider(db.db, id);
    if (!row) return null;
    return {
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      zones: JSON.parse(row.zones) as string[],
      client: clientFor(secrets.open(row.token_enc), settings),
    };
  };
}

export function createDnsProvidersService({ db, secrets, settings }: Deps) {
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findProvider(k, id);
    if (!row || !accounts.canRead(ctx, row.account_id).allowed)
      throw notFound(`DNS provider ${id}`);
    return row;
  }

  const audit = (
    db: typeof k,
    ctx: Ctx,
    action: string,
    row: Pick<repo.DnsProviderRow, "id" | "account_id">,
    diff: unknown,
  ) =>
    recordAudit(db, ctx, {
      action,
      targetType: "dns_provider",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  return {
    async list(ctx: Ctx, accountId: string) {
      if (!accounts.canRead(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
      return (await repo.providersOfAccount(k, accountId, MAX_PER_ACCOUNT)).map(repo.toDnsProvider);
    },

    get: async (ctx: Ctx, id: string) => repo.toDnsProvider(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: DnsProviderCreate) {
      if (!accounts.canRead(ctx, input.account).allowed) throw notFound(`account ${input.account}`);
      enforce(ctx, accounts.canManage(ctx, input.account));
      if (await repo.findProviderByName(k, input.account, input.name))
        throw conflict(`the account already has a DNS provider named ${input.name}`, "name");
      const have = await repo.providersOfAccount(k, input.account, MAX_PER_ACCOUNT);
      if (have.length >= MAX_PER_ACCOUNT)
        throw conflict(`an account keeps at most ${MAX_PER_ACCOUNT} DNS providers`, "account");
      const zones = await checked(checkToken(clientFor(input.token, settings), input.zones));
      const now = Date.now();
      const row: repo.DnsProviderRow = {
        id: newId("dnsp"),
        account_id: input.account,
        kind: input.kind,
        name: input.name,
        token_enc: secrets.seal(input.token),
        zones: JSON.stringify(zones),
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertProvider(trx, row);
        await audit(trx, ctx, "dns_provider.create", row, {
          after: { kind: row.kind, name: row.name, zones },
        });
      });
      return repo.toDnsProvider(row);
    },

    /** Checks the token again and refreshes the zones it reaches. */
    async test(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, accounts.canManage(ctx, row.account_id));
      const before = JSON.parse(row.zones) as string[];
      const zones = await checked(
        checkToken(clientFor(secrets.open(row.token_enc), settings), before),
      );
      await repo.updateZones(k, id, zones);
      await audit(k, ctx, "dns_provider.test", row, { zones });
      return repo.toDnsProvider({ ...row, zones: JSON.stringify(zones) });
    },

    async remove(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, accounts.canManage(ctx, row.account_id));
      const held = await zoneOfProvider(k, id);
      if (held)
        throw conflict(
          `the DNS provider holds the zone ${held.name} (${held.id}): delete that zone first`,
        );
      await k.transaction().execute(async (trx) => {
        await repo.deleteProvider(trx, id);
        await audit(trx, ctx, "dns_provider.remove", row, {
          before: { kind: row.kind, name: row.name },
        });
      });
    },
  };
}

export type DnsProvidersService = ReturnType<typeof createDnsProvidersService>;
