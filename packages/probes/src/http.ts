// HTTP(S): one request through the outbound client (./outbound-http.ts: the policy
// at connect time, every redirect checked again), then the status, keyword, JSON value and
// response time compared with the monitor's expectations.
import { type MonitorOf, statusMatches } from "@steward/contracts/monitors";
import { asText, jsonAt } from "./json-path.ts";
import { outboundRequest } from "./outbound-http.ts";
import { down, type ProbeDeps, type ProbeResult, reason, since, whoOf } from "./types.ts";

/** The most of an answer a check reads (a keyword past it is not seen). */
const MAX_BYTES = 1024 * 1024;

export async function probeHttp(
  s: MonitorOf<"http">,
  timeoutMs: number,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  const started = performance.now();
  let answer: Awaited<ReturnType<typeof outboundRequest>>;
  try {
    answer = await outboundRequest(
      {
        field: "url",
        method: s.method,
        url: s.url,
        headers: {
          "user-agent": "Steward-Monitor/1",
          accept: "*/*",
          ...s.headers,
          "x-steward-location": deps.location ?? "panel",
        },
        body: s.body,
        credentialHeaders: ["authorization", ...Object.keys(s.headers)],
        redirects: s.followRedirects ? "all" : "none",
      },
      { ...deps, who: whoOf(deps), timeoutMs, maxBytes: MAX_BYTES },
    );
  } catch (error) {
    return down(reason(error));
  }
  const ms = since(started);
  return (
    judge(s, answer.status, answer.body, ms) ??
    slow(s, ms) ?? {
      outcome: "up",
      responseMs: ms,
      message: `answered ${answer.status}`,
    }
  );
}

function judge(s: MonitorOf<"http">, status: number, body: string, ms: number) {
  if (!statusMatches(s.expectedStatuses, status))
    return down(`answered ${status}, expected ${s.expectedStatuses.join(", ")}`, ms);
  if (s.keyword) {
    const found = body.includes(s.keyword.text);
    if (s.keyword.mode === "present" && !found)
      return down(`the answer does not contain "${s.keyword.text}"`, ms);
    if (s.keyword.mode === "absent" && found)
      return down(`the answer contains "${s.keyword.text}"`, ms);
  }
  if (s.json) {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return down("the answer is not JSON", ms);
    }
    const value = asText(jsonAt(document, s.json.path));
    if (value !== s.json.equals)
      return down(`${s.json.path} is "${value.slice(0, 200)}", expected "${s.json.equals}"`, ms);
  }
  return null;
}

const slow = (s: MonitorOf<"http">, ms: number): ProbeResult | null =>
  s.degradedAboveMs !== undefined && ms > s.degradedAboveMs
    ? {
        outcome: "degraded",
        responseMs: ms,
        message: `answered in ${ms} ms, over ${s.degradedAboveMs} ms`,
      }
    : null;
