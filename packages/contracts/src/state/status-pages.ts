// Status pages as files (`status-page/<slug>.yaml`), with the status page API's own
// validators: the monitors a page lists are named by their files' names
// (`shop--shop-example`), always monitors of the page's account.
import { z } from "zod";
import { statusPageCreate } from "../status-pages/index.ts";
import { label, slug } from "../validators.ts";
import { stateFileName } from "./names.ts";

const shape = statusPageCreate.shape;

export const statusPageFile = z
  .strictObject({
    slug: shape.slug,
    account: slug,
    title: shape.title,
    description: shape.description,
    monitors: z
      .array(
        z.strictObject({
          /** the monitor's file name: `<account>--<name>` */
          monitor: stateFileName,
          /** what the public sees */
          name: label(100),
        }),
      )
      .max(50, "must be at most 50 monitors")
      .default([]),
  })
  .superRefine((p, ctx) => {
    p.monitors.forEach((m, i) => {
      if (!m.monitor.startsWith(`${p.account}--`))
        ctx.addIssue({
          code: "custom",
          path: ["monitors", i, "monitor"],
          message: `must be a monitor of account ${p.account} (${p.account}--<name>)`,
        });
    });
  });
export type StatusPageFile = z.infer<typeof statusPageFile>;
