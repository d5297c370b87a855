// Email over SMTP with nodemailer (https://nodemailer.com/smtp/): the server's name is resolved
// and checked under the outbound policy here, nodemailer connects to the checked address and
// presents and verifies the name in TLS (servername). `security` is TLS from the first byte
// (465), STARTTLS required (587), or plain (a relay on a private network). The reply of the
// server (250 … queued as …) or its refusal (5xx, auth failed) is the result.

import { hostTarget } from "@steward/contracts/net";
import type { ChannelOf, RenderedMessage, SendResult } from "@steward/contracts/notifications";
import { checkTarget, panelAddresses } from "../../../lib/outbound.ts";
import { redactor, type SendDeps, secretsOf } from "./http.ts";

const KEEP = 4000;

export async function send(
  settings: ChannelOf<"email">,
  message: RenderedMessage,
  deps: SendDeps,
): Promise<SendResult> {
  const redact = redactor(secretsOf(settings));
  const request = {
    method: "SMTP",
    url: `smtp://${settings.host}:${settings.port}`,
    headers: { from: settings.from, to: settings.to.join(", "), subject: message.subject },
    body: message.text.slice(0, KEEP),
  };
  const failed = (error: string, status: number | null = null, response: string | null = null) => ({
    ok: false,
    status,
    request,
    response,
    error: redact(error),
  });
  const target = hostTarget(settings.host, settings.port);
  if (typeof target === "string") return failed(`host: ${target}`);
  const checked = await checkTarget(
    deps.policy,
    target,
    "this panel",
    deps.localAddresses ?? panelAddresses(),
    deps.resolve,
  );
  if (checked.why) return failed(`host: ${checked.why}`);
  const address = checked.addresses?.[0];
  if (!address) return failed(`host: ${target.host} does not resolve to any address`);
  const timeout = deps.timeoutMs ?? 10_000;
  // loaded when a mail is sent (5 MB of heap and 0.2 s of a start that sends none)
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({
    host: address,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    tls: { servername: target.ip ? undefined : target.host, ca: deps.ca },
    auth: settings.username
      ? { user: settings.username, pass: settings.password ?? "" }
      : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
    });
    const response = redact(String(info.response));
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0) return failed(`to: refused ${rejected.join(", ")}`, 250, response);
    return { ok: true, status: Number.parseInt(response, 10) || 250, request, response };
  } catch (e) {
    const error = e as { message?: string; responseCode?: number; response?: string };
    const response = error.response ? redact(error.response) : null;
    return failed(`host: ${error.message ?? String(e)}`, error.responseCode ?? null, response);
  } finally {
    transport.close();
  }
}
