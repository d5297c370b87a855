// When renewals are due, how failures back off, and the expiry warnings at 21, 7 and 1 days
// left, each raised once.
import { describe, expect, it } from "vitest";
import { expiryWarning } from "./events.ts";
import type { CertificateRow } from "./repo.ts";
import { nextTry, renewalDue } from "./schedule.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 5);

const row = (over: Partial<CertificateRow>): CertificateRow => ({
  id: "cert_1",
  site_id: "site_1",
  account_id: "acc_1",
  node_id: "node_1",
  names: '["shop.example.com"]',
  key_type: "ecdsa-p256",
  state: "active",
  hsts: 0,
  challenge: null,
  wildcard: 0,
  source: "acme",
  ari_id: null,
  ari_next_at: null,
  serial: "0A",
  issuer: "CN=Test CA",
  not_before: NOW - 60 * DAY,
  not_after: NOW + 30 * DAY,
  renew_at: NOW,
  last_error: null,
  failures: 0,
  warned_days: null,
  task_id: null,
  created_at: NOW,
  updated_at: NOW,
  ...over,
});

describe("renewal schedule", () => {
  it("renews 30 days before expiry, a third of the life for short certificates", () => {
    expect(renewalDue(NOW, NOW + 90 * DAY)).toBe(NOW + 60 * DAY);
    expect(renewalDue(NOW, NOW + 6 * DAY)).toBe(NOW + 4 * DAY);
  });

  it("backs off an hour after a failure, doubling, at most a day", () => {
    expect([1, 2, 3, 6, 20].map((n) => nextTry(NOW, n) - NOW)).toEqual([
      HOUR,
      2 * HOUR,
      4 * HOUR,
      DAY,
      DAY,
    ]);
  });
});

describe("expiry warnings", () => {
  it("warns once at each of 21, 7 and 1 days left, naming the site's primary name", () => {
    expect(expiryWarning(row({ not_after: NOW + 25 * DAY }), "shop.example.com", NOW)).toBeNull();
    const first = expiryWarning(row({ not_after: NOW + 20 * DAY + HOUR }), "shop.example.com", NOW);
    expect(first).toMatchObject({
      threshold: 21,
      event: {
        type: "certificate.expiring",
        severity: "warning",
        accountId: "acc_1",
        target: { type: "site", id: "site_1", name: "shop.example.com" },
        summary: "the certificate of shop.example.com expires in 20 days",
        fields: { domain: "shop.example.com", daysLeft: 20, issuer: "CN=Test CA" },
      },
    });
    expect(expiryWarning(row({ not_after: NOW + 10 * DAY, warned_days: 21 }), "x", NOW)).toBeNull();
    const week = expiryWarning(row({ not_after: NOW + 6 * DAY, warned_days: 21 }), "x", NOW);
    expect([week?.threshold, week?.event.severity]).toEqual([7, "critical"]);
    // a scan missed for days still raises the warning due, once
    const late = expiryWarning(row({ not_after: NOW + HOUR, warned_days: null }), "x", NOW);
    expect(late?.threshold).toBe(1);
    expect(expiryWarning(row({ not_after: NOW + HOUR, warned_days: 1 }), "x", NOW)).toBeNull();
    expect(expiryWarning(row({ not_after: NOW - 2 * DAY }), "x", NOW)?.event.summary).toBe(
      "the certificate of x expired on 2026-12-03",
    );
    expect(expiryWarning(row({ not_after: null }), "x", NOW)).toBeNull();
  });
});
