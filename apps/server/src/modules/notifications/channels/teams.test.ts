// Teams' sender against the recording fake of a Workflows webhook (fakes/teams.ts).
import { teamsChannel } from "@steward/contracts/notifications";
import { expect, it } from "vitest";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { teamsFake } from "./fakes/teams.ts";
import { useFake } from "./fakes/use-fake.ts";
import { send } from "./teams.ts";

const PATH = "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cr3tsignature";
const fake = useFake(teamsFake(PATH));

it("posts an Adaptive Card in a message attachment, as Teams documents", async () => {
  const settings = teamsChannel.parse({ kind: "teams", webhookUrl: `${fake.url}${PATH}` });
  const result = await send(settings, MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 202 });
  expect(fake.problems).toEqual([]);
  const card = JSON.parse(fake.requests.at(-1)?.body ?? "").attachments[0].content;
  expect(card.body[0]).toMatchObject({ text: MESSAGE.subject, color: "Attention" });
  expect(card.actions[0]).toEqual({ type: "Action.OpenUrl", title: "Open", url: MESSAGE.url });
  expect(leaked(result, ["s3cr3tsignature"])).toEqual([]);
});

it("fails with Power Automate's error on a wrong signature", async () => {
  const settings = teamsChannel.parse({
    kind: "teams",
    webhookUrl: `${fake.url}/workflows/abc/triggers/manual/paths/invoke?sig=wrongsignature`,
  });
  const result = await send(settings, MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: false, status: 401 });
  expect(result.error).toContain(
    "DirectApiAuthorizationRequired: The request must be authenticated",
  );
  expect(leaked(result, ["wrongsignature"])).toEqual([]);
});
