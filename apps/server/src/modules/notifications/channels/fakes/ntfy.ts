// ntfy's publish as JSON as documented (https://docs.ntfy.sh/publish/#publish-as-json): POST to
// the root URL with `topic` and the message's fields; an access token as `Authorization:
// Bearer`. 200 with the message, or {"code","http","error","link"}: 403 forbidden, 400 invalid.
import { z } from "zod";
import { type Handler, jsonBody, parseBody, problem } from "./server.ts";

const payload = z.strictObject({
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/),
  message: z.string().max(4096).optional(),
  title: z.string().optional(),
  tags: z.array(z.string()).optional(),
  priority: z.number().int().min(1).max(5).optional(),
  click: z.url().optional(),
  markdown: z.boolean().optional(),
});
const refused = (http: number, code: number, error: string) => ({
  status: http,
  body: { code, http, error, link: "https://ntfy.sh/docs/publish/" },
});

export const ntfyFake =
  (topic: string, token?: string): Handler =>
  (request, fake) => {
    if (request.method !== "POST" || request.path !== "/")
      problem(fake, `${request.method} ${request.path}`);
    const body = parseBody(fake, payload, jsonBody(fake, request));
    if (!body) return refused(400, 40001, "invalid request: the JSON body is invalid");
    const auth = request.headers.authorization;
    if (token && auth !== `Bearer ${token}`) return refused(403, 40301, "forbidden");
    if (body.topic !== topic) return refused(403, 40301, "forbidden");
    return { status: 200, body: { id: "abc", time: 0, event: "message", ...body } };
  };
