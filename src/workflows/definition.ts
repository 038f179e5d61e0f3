/**
 * Workflow definitions (docs/api.md#workflows): the step schema, and the checks a definition must
 * pass at save beyond its shape — a template that exists for every channel step, a digest only as
 * the first step, an `if` that has an in-app step before it to ask about.
 */
import { z } from "@hono/zod-openapi";
import { ApiError, type FieldError } from "../lib/errors";
import { Category, CHANNELS } from "../notifications/input";

/** Longest delay or digest window, in seconds: a run waits at most as long as an inbox keeps an item (30 days). */
export const MAX_WAIT_SECONDS = 30 * 86_400;
/** Most steps in one definition. */
export const MAX_STEPS = 20;

/** Workflow keys: like template names, 1–64 of a-z, 0-9, `_`, `.` and `-`. */
export const WorkflowKey = z
  .string()
  .regex(/^[a-z0-9_.-]{1,64}$/, "1–64 characters: a-z, 0-9 and _ . -")
  .describe("The workflow's key: 1–64 characters of a-z, 0-9 and _ . -.")
  .openapi({ example: "comment-digest" });

export const ChannelStep = z
  .object({
    type: z.enum(CHANNELS).describe("The channel this step sends on."),
    // Optional in the shape so a missing template is the save-time 422 naming the step (docs/api.md#workflows).
    template: z.string().min(1).max(128).optional().describe("The template to render with the run's data (required)."),
    if: z
      .enum(["always", "unread", "unseen"])
      .default("always")
      .describe("`unread`: send only if the run's in-app notification is still unread now; `unseen`: only if no device received it."),
  })
  .strict();
export const DelayStep = z.object({ type: z.literal("delay"), seconds: z.number().int().min(1).max(MAX_WAIT_SECONDS).describe("How long to wait, in seconds.") }).strict();
export const DigestStep = z
  .object({
    type: z.literal("digest"),
    windowSeconds: z.number().int().min(1).max(MAX_WAIT_SECONDS).describe("How long after the first trigger later triggers still join the run, in seconds."),
    key: z.string().min(1).max(256).optional().describe("Mustache over the trigger's data; triggers with the same rendered key join one digest (default: one per workflow)."),
  })
  .strict();

export const WorkflowStep = z.discriminatedUnion("type", [ChannelStep, DelayStep, DigestStep]).describe("One step: a channel send, a delay or a digest.");
export type WorkflowStep = z.infer<typeof WorkflowStep>;
export type ChannelStepDef = z.infer<typeof ChannelStep>;

export const WorkflowInput = z
  .object({
    name: z.string().min(1).max(256).optional().describe("A human name for the console."),
    category: Category.optional().describe("Preference category of the notifications the workflow sends; default: each template's, else `general`."),
    critical: z.boolean().default(false).describe("Security alerts, one-time codes: bypasses preferences and quiet hours."),
    steps: z.array(WorkflowStep).min(1).max(MAX_STEPS).describe(`The steps, run in order for each recipient (1–${MAX_STEPS}).`),
  })
  .strict()
  .openapi("WorkflowInput", {
    example: {
      name: "Comments",
      category: "comments",
      critical: false,
      steps: [
        { type: "digest", windowSeconds: 600, key: "{{postId}}" },
        { type: "in_app", template: "comment_digest", if: "always" },
        { type: "delay", seconds: 900 },
        { type: "email", template: "comment_digest_email", if: "unread" },
      ],
    },
  });
export type WorkflowInput = z.infer<typeof WorkflowInput>;

/** A saved definition, as runs carry it (the snapshot taken at trigger time). */
export interface WorkflowDefinition {
  key: string;
  version: number;
  name: string | null;
  category: string | null;
  critical: boolean;
  steps: WorkflowStep[];
}

/**
 * The save-time checks (docs/api.md#workflows), every problem with its step's path.
 * @param templateNames the names of the templates that exist.
 * @throws ApiError `workflow_invalid` (422) listing each problem as `steps.<i>[.field]`.
 */
export function assertRunnable(steps: readonly WorkflowStep[], templateNames: ReadonlySet<string>): void {
  const errors: FieldError[] = [];
  let inAppBefore = false;
  steps.forEach((step, i) => {
    if (step.type === "digest" && i !== 0) errors.push({ path: `steps.${i}`, message: "A digest can only be the first step." });
    if (step.type === "delay" || step.type === "digest") return;
    if (step.template === undefined) errors.push({ path: `steps.${i}.template`, message: "A channel step needs a template." });
    else if (!templateNames.has(step.template)) errors.push({ path: `steps.${i}.template`, message: `No template is named \`${step.template}\`.` });
    if (step.if !== "always" && !inAppBefore) errors.push({ path: `steps.${i}.if`, message: `\`if: "${step.if}"\` asks about the run's in-app notification: put an \`in_app\` step before it.` });
    if (step.type === "in_app") inAppBefore = true;
  });
  if (errors.length > 0) {
    throw new ApiError("workflow_invalid", `The workflow cannot run: ${errors.map((e) => `${e.path}: ${e.message}`).join(" ")}`, { errors });
  }
}

/** The template names a definition's channel steps use. */
export function templatesOf(steps: readonly WorkflowStep[]): string[] {
  return [...new Set(steps.flatMap((s) => (s.type === "delay" || s.type === "digest" || s.template === undefined ? [] : [s.template])))];
}
