// The access matrix's rows for mail hosting (issue 18), spread into http/access-matrix.test.ts:
// a mail domain is a resource of its account (readers see it, its mailboxes and aliases; its
// admins change them; strangers are told it does not exist). Statuses in the order of
// fixtures' ACTORS.
import type { ActorName, World } from "./fixtures.ts";
import { markTrusted } from "./trusted-node.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];
const CREATE = (ok: number): Statuses => [ok, ok, 403, 403, 403, 403, 403];

/** one trusted node and one domain of account A per world, shared by the rows that keep it */
const nodes = new WeakMap<World, Promise<string>>();
const shared = new WeakMap<World, Promise<string>>();

function trustedNodeOf(w: World) {
  let node = nodes.get(w);
  if (!node) {
    node = (async () => {
      const made = await w.s.svc.nodes.create(w.s.cli, {
        name: `mail-${w.unique()}`,
        agentUrl: "https://10.0.0.1:7443",
      });
      await markTrusted(w.s, made.id);
      return made.id;
    })();
    nodes.set(w, node);
  }
  return node;
}

/** a new mail domain of account A on a trusted node (its task waits: no worker) */
async function domainOnA(w: World) {
  const domain = await w.s.svc.mail.create(w.s.cli, {
    name: `m${w.unique()}.example.com`,
    node: await trustedNodeOf(w),
    account: w.a,
  });
  return domain.id;
}

/** the world's shared domain of account A (rows that do not delete it) */
function sharedDomainOnA(w: World) {
  let domain = shared.get(w);
  if (!domain) {
    domain = domainOnA(w);
    shared.set(w, domain);
  }
  return domain;
}

async function mailboxOnA(w: World) {
  const box = await w.s.svc.mail.createMailbox(w.s.cli, await sharedDomainOnA(w), {
    localPart: `box${w.unique()}`,
    password: "matrix-password-1",
    quotaMb: 0,
    enabled: true,
  });
  return box.id;
}

async function aliasOnA(w: World) {
  const alias = await w.s.svc.mail.createAlias(w.s.cli, await sharedDomainOnA(w), {
    localPart: `info${w.unique()}`,
    catchAll: false,
    destinations: ["someone@example.net"],
  });
  return alias.id;
}

const D = "/api/v1/mail/domains";
const BOX = "/api/v1/mail/mailboxes";
export const MAIL_ROWS: Record<string, Row> = {
  [`GET ${D}`]: { expect: ALL_OK, call: async () => ({ path: D }) },
  [`POST ${D}`]: {
    expect: CREATE(201),
    call: async (w) => ({
      path: D,
      body: { name: `c${w.unique()}.example.com`, node: await trustedNodeOf(w), account: w.a },
    }),
  },
  [`GET ${D}/:id`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}` }),
  },
  [`PATCH ${D}/:id`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${D}/${await sharedDomainOnA(w)}`,
      body: { certificateSite: null },
    }),
  },
  [`PUT ${D}/:id/spam`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${D}/${await sharedDomainOnA(w)}/spam`,
      body: { spamFilter: "off", junkDays: 14 },
    }),
  },
  [`PUT ${D}/:id/virus`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${D}/${await sharedDomainOnA(w)}/virus`,
      body: { virusFilter: "off" },
    }),
  },
  [`DELETE ${D}/:id`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `${D}/${await domainOnA(w)}` }),
  },
  [`POST ${D}/:id/apply`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}/apply` }),
  },
  [`GET ${D}/:id/mailboxes`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}/mailboxes` }),
  },
  [`POST ${D}/:id/mailboxes`]: {
    expect: A_ADMIN(201),
    call: async (w) => ({
      path: `${D}/${await sharedDomainOnA(w)}/mailboxes`,
      body: { localPart: `new${w.unique()}`, password: "matrix-password-2" },
    }),
  },
  [`PATCH ${BOX}/:id`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `${BOX}/${await mailboxOnA(w)}`, body: { quotaMb: 10 } }),
  },
  [`POST ${BOX}/:id/password`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${BOX}/${await mailboxOnA(w)}/password`,
      body: { password: "matrix-password-3" },
    }),
  },
  [`DELETE ${BOX}/:id`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `${BOX}/${await mailboxOnA(w)}` }),
  },
  [`GET ${D}/:id/aliases`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}/aliases` }),
  },
  [`POST ${D}/:id/aliases`]: {
    expect: A_ADMIN(201),
    call: async (w) => ({
      path: `${D}/${await domainOnA(w)}/aliases`,
      body: { catchAll: true, destinations: ["someone@example.net"] },
    }),
  },
  "DELETE /api/v1/mail/aliases/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/mail/aliases/${await aliasOnA(w)}` }),
  },
  // DKIM and the DNS check (docs/mail.md#dkim-spf-and-dmarc): readers read, admins rotate
  [`GET ${D}/:id/dkim`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}/dkim` }),
  },
  [`POST ${D}/:id/dkim/rotate`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}/dkim/rotate`, body: {} }),
  },
  [`PATCH ${D}/:id/dkim`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${D}/${await sharedDomainOnA(w)}/dkim`,
      body: { spfAll: "-all" },
    }),
  },
  [`GET ${D}/:id/dns-check`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${D}/${await sharedDomainOnA(w)}/dns-check` }),
  },
  // a mailbox's autoresponder and usage, an account's mail usage
  [`PUT ${BOX}/:id/autoresponder`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${BOX}/${await mailboxOnA(w)}/autoresponder`,
      body: { subject: "Away", body: "Back on Monday." },
    }),
  },
  [`DELETE ${BOX}/:id/autoresponder`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `${BOX}/${await mailboxOnA(w)}/autoresponder` }),
  },
  [`GET ${BOX}/:id/usage`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${BOX}/${await mailboxOnA(w)}/usage` }),
  },
  "GET /api/v1/accounts/:id/mail-usage": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/accounts/${w.a}/mail-usage` }),
  },
};
