// Pushover's message API as documented (https://pushover.net/api): POST a form to
// /1/messages.json; {"status":1,"request"}, or 400 {"status":0,"errors":[…],"request"} naming
// the invalid token or user key, or the message that is too long.
import { z } from "zod";
import { type Handler, parseBody, problem } from "./server.ts";

const payload = z.strictObject({
  token: z.string().length(30),
  user: z.string().length(30),
  message: z.string().min(1).max(1024),
  title: z.string().max(250).optional(),
  url: z.url().max(512).optional(),
  url_title: z.string().max(100).optional(),
  priority: z.enum(["-2", "-1", "0", "1"]).optional(),
  device: z.string().max(25).optional(),
  html: z.literal("1").optional(),
});
const refused = (errors: string[], field?: string) => ({
  status: 400,
  body: { ...(field ? { [field]: "invalid" } : {}), errors, status: 0, request: "r-1" },
});

export const pushoverFake =
  (appToken: string, userKey: string): Handler =>
  (request, fake) => {
    if (request.method !== "POST" || request.path !== "/1/messages.json")
      problem(fake, `${request.method} ${request.path}`);
    if (request.headers["content-type"] !== "application/x-www-form-urlencoded")
      problem(fake, `content-type ${request.headers["content-type"]}`);
    const form = Object.fromEntries(new URLSearchParams(request.body));
    const body = parseBody(fake, payload, form);
    if (!body) return refused(["message cannot be blank or longer than 1024 characters"]);
    if (body.token !== appToken) return refused(["application token is invalid"], "token");
    if (body.user !== userKey)
      return refused(
        ["user identifier is not a valid user, group, or subscribed user key"],
        "user",
      );
    return { status: 200, body: { status: 1, request: "r-1" } };
  };
