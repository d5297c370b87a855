// Test support for what re-installs a site's certificate (mail's STARTTLS, FTPS): a static site
// of account A on the node, HTTP only, and `upload()`, which installs a new certificate for it
// through the certificates API (the install path ACME renewals take too) and answers its serial.
import { testChain } from "@steward/testkit";
import { expect } from "vitest";
import type { TestServer } from "./harness.ts";
import { settleTask, taskLogText } from "./real-node.ts";

export async function siteWithCertificates(
  s: TestServer,
  key: string,
  o: { node: string; account: string; host: string },
) {
  const api = (url: string, body: unknown) => s.request("POST", url, { key, body });
  const made = await api("/api/v1/sites", {
    node: o.node,
    domains: [o.host],
    kind: "static",
    account: o.account,
    https: false,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const task = await settleTask(s, made.body.taskId, 60_000);
  expect(task.state, await taskLogText(s, made.body.taskId)).toBe("succeeded");
  const site = made.body.id as string;
  const upload = async () => {
    const chain = await testChain({ hosts: [o.host] });
    const r = await api("/api/v1/certificates/upload", {
      site,
      certificate: chain.leaf,
      chain: chain.intermediate,
      key: chain.key,
    });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return chain.serial;
  };
  return { site, upload };
}
