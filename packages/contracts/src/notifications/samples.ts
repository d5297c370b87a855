// A sample event per catalogued type: what a template preview renders, and what a template is
// checked against before it is saved. Plausible values, every field present.
import type { EventOf, EventType, NotificationEvent } from "./events.ts";
import { eventCatalogue } from "./events.ts";

const base = {
  id: "evt_sample",
  accountId: "acc_sample",
  occurredAt: "2026-01-15T09:30:00.000Z",
  url: "https://panel.example.com/monitors/mon_sample",
};
const monitor = {
  monitorId: "mon_sample",
  monitorName: "shop.example.com",
  monitorTarget: "https://shop.example.com/health",
};
const monitorTarget = { type: "monitor", id: "mon_sample", name: "shop.example.com" };
const task = { taskId: "tsk_sample", kind: "site.apply", title: "apply site shop.example.com" };
const taskTarget = { type: "site", id: "site_sample", name: "shop.example.com" };
const cmsSite = { siteId: "cms_sample", siteName: "blog", siteUrl: "https://blog.example.com" };
const cmsTarget = { type: "cms_site", id: "cms_sample", name: "blog" };
const nodeTarget = { type: "node", id: "node_sample", name: "web-1" };

const fieldsByType: {
  [T in EventType]: Omit<EventOf<T>, keyof typeof base | "type" | "severity">;
} = {
  "task.failed": {
    target: taskTarget,
    summary: "task apply site shop.example.com failed",
    fields: { ...task, attempts: 3, error: "nginx -t: unknown directive" },
  },
  "task.recovered": {
    target: taskTarget,
    summary: "task apply site shop.example.com succeeded after 2 failed attempts",
    fields: { ...task, failedAttempts: 2 },
  },
  "node.unreachable": {
    target: nodeTarget,
    summary: "node web-1 is unreachable",
    fields: {
      nodeId: "node_sample",
      nodeName: "web-1",
      lastSeenAt: "2026-01-15T09:25:00.000Z",
      error: "connect ECONNREFUSED 10.0.0.5:7443",
    },
  },
  "node.reachable": {
    target: nodeTarget,
    summary: "node web-1 is reachable again",
    fields: { nodeId: "node_sample", nodeName: "web-1", downtimeSeconds: 300 },
  },
  "site.failed": {
    target: taskTarget,
    summary: "site shop.example.com failed",
    fields: {
      siteId: "site_sample",
      domain: "shop.example.com",
      nodeName: "web-1",
      error: "php-fpm pool did not start",
    },
  },
  "monitor.down": {
    target: monitorTarget,
    summary: "monitor shop.example.com is down",
    fields: {
      ...monitor,
      error: "expected status 200, got 502",
      responseTimeMs: 1840,
      locations: "down from panel, web-1; up from web-2",
    },
  },
  "monitor.up": {
    target: monitorTarget,
    summary: "monitor shop.example.com is up",
    fields: { ...monitor, downtimeSeconds: 420, locations: null },
  },
  "monitor.degraded": {
    target: monitorTarget,
    summary: "monitor shop.example.com is degraded",
    fields: {
      ...monitor,
      reason: "response time above 1000 ms",
      responseTimeMs: 2350,
      locations: null,
    },
  },
  "monitor.flapping": {
    target: monitorTarget,
    summary: "monitor shop.example.com is flapping",
    fields: { ...monitor, transitions: 6, windowMinutes: 10 },
  },
  "certificate.expiring": {
    target: { type: "site", id: "site_sample", name: "shop.example.com" },
    summary: "the certificate of shop.example.com expires in 7 days",
    fields: {
      domain: "shop.example.com",
      expiresAt: "2026-01-22T00:00:00.000Z",
      daysLeft: 7,
      issuer: "Let's Encrypt R11",
    },
  },
  "certificate.failed": {
    target: { type: "site", id: "site_sample", name: "shop.example.com" },
    summary: "the certificate of shop.example.com could not be issued",
    fields: {
      domain: "shop.example.com",
      names: ["shop.example.com", "www.shop.example.com"],
      challenge: "http-01",
      error:
        "port 80 of shop.example.com could not be reached by the CA: check that DNS points shop.example.com at this node and that port 80 is open to the internet",
      failures: 1,
      retryAt: "2026-01-15T13:00:00.000Z",
    },
  },
  "backup.succeeded": {
    target: { type: "site", id: "site_sample", name: "shop.example.com" },
    summary: "backup of shop.example.com succeeded",
    fields: { backupId: "bak_sample", targetName: "shop.example.com", sizeBytes: 52_428_800 },
  },
  "backup.partial": {
    target: { type: "backup-plan", id: "bkp_sample", name: "nightly" },
    summary: "backup of /srv/shop reached 1 of 2 destinations",
    fields: {
      backupId: "bkr_sample",
      targetName: "nightly: /srv/shop",
      sizeBytes: 52_428_800,
      error: "offsite-s3: the upload was accepted and then not completed",
    },
  },
  "backup.failed": {
    target: { type: "site", id: "site_sample", name: "shop.example.com" },
    summary: "backup of shop.example.com failed",
    fields: { backupId: "bak_sample", targetName: "shop.example.com", error: "disk full" },
  },
  "backup.verified": {
    target: { type: "backup-plan", id: "bkp_sample", name: "nightly" },
    summary: "test restore of nightly: shop verified",
    fields: {
      artifactId: "bka_sample",
      targetName: "nightly: shop",
      message: "2 tables restored with the row counts of the dump",
    },
  },
  "backup.verify_failed": {
    target: { type: "backup-plan", id: "bkp_sample", name: "nightly" },
    summary: "test restore of nightly: shop failed",
    fields: {
      artifactId: "bka_sample",
      targetName: "nightly: shop",
      error: "orders: 120 rows at dump time, 119 restored",
    },
  },
  "cms.update.available": {
    target: cmsTarget,
    summary: "2 updates available on blog",
    fields: {
      ...cmsSite,
      updates:
        "plugin akismet/akismet.php 5.3 → 5.3.1 (automatic)\ncore WordPress 6.4.2 → 6.5.0 (notify only)",
      count: 2,
      runAt: "2026-01-16T05:00:00.000Z",
    },
  },
  "cms.update.succeeded": {
    target: cmsTarget,
    summary: "blog updated: plugin akismet/akismet.php 5.3 → 5.3.1",
    fields: { ...cmsSite, taskId: "tsk_sample", updates: "plugin akismet/akismet.php 5.3 → 5.3.1" },
  },
  "cms.update.failed": {
    target: cmsTarget,
    summary: "the update of plugin akismet/akismet.php on blog failed",
    fields: {
      ...cmsSite,
      taskId: "tsk_sample",
      update: "plugin akismet/akismet.php 5.3 → 5.3.1",
      error: "Download failed.",
    },
  },
  "cms.update.rolled_back": {
    target: cmsTarget,
    summary: "the update of plugin akismet/akismet.php on blog was rolled back",
    fields: {
      ...cmsSite,
      taskId: "tsk_sample",
      update: "plugin akismet/akismet.php 5.3 → 5.3.1",
      error: "after the update the home page answers HTTP 500",
      restoredVersion: "5.3",
    },
  },
  "notification.test": {
    target: null,
    summary: "a test notification from Steward",
    fields: { channelName: "ops mail", requestedBy: "admin@example.com" },
  },
  "notification.digest": {
    target: { type: "node", id: "node_sample", name: "web-1" },
    summary: "3 sites failed on web-1",
    fields: {
      groupType: "site.failed",
      count: 3,
      items: [
        { summary: "site shop.example.com failed", targetName: "shop.example.com" },
        { summary: "site blog.example.com failed", targetName: "blog.example.com" },
        { summary: "site wiki.example.com failed", targetName: "wiki.example.com" },
      ],
      more: 0,
    },
  },
};

/** The sample event of a type (a fresh object each call). */
export function sampleEvent<T extends EventType>(type: T): EventOf<T> {
  const sample = { ...base, type, severity: eventCatalogue[type].severity, ...fieldsByType[type] };
  return structuredClone(sample) as NotificationEvent as EventOf<T>;
}
