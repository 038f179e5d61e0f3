/**
 * Workflows (docs/api.md#workflows): definitions (`/v1/workflows/{key}`), triggers, and the runs
 * each user's UserWorkflows object holds (`/v1/workflow-runs/{id}`, `/v1/users/{userId}/workflow-runs`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { loadTemplates } from "../db/templates";
import { countRecipientsStatement, insertTriggerStatement, loadTriggers } from "../db/workflow-triggers";
import { snapshotTopicStatement, snapshotUsersStatement } from "../db/workflow-trigger-recipients";
import { definitionOf, deleteWorkflow, findWorkflow, listWorkflows, upsertWorkflow, type Workflow } from "../db/workflows";
import { createRouter } from "../http/router";
import { commonErrors, jsonRequest, PageQuery, problemResponse } from "../http/schemas";
import { encodeCursor, pageOf, stringCursor } from "../lib/cursor";
import { ApiError } from "../lib/errors";
import { fingerprint } from "../lib/fingerprint";
import { claimKey, completeKeyStatement, existingOutcome, idempotencyTtlMs, releaseKey } from "../lib/idempotency";
import { newId } from "../lib/ids";
import { dataBytes, IdempotencyKey, MAX_DATA_BYTES, TopicName, UserId } from "../notifications/input";
import { assertRunnable, templatesOf, WorkflowInput, WorkflowKey, WorkflowStep } from "../workflows/definition";
import { enqueueTriggerPlan } from "../workflows/trigger";
import { userOfRun, workflowsOf, type RunView } from "../workflows/user-workflows";
import { requireTopic } from "./topics";

export const workflows = createRouter();

/** Most users one trigger's `to` list may name (docs/api.md#workflows); a topic may have more. */
export const MAX_TRIGGER_USERS = 1000;

const WorkflowView = z
  .object({
    key: WorkflowKey,
    version: z.number().int().describe("Grows by one on every save; a run keeps the version it started with."),
    name: z.string().nullable().describe("A human name for the console."),
    category: z.string().nullable().describe("Preference category of what it sends; null: each template's, else `general`."),
    critical: z.boolean().describe("Bypasses preferences and quiet hours."),
    steps: z.array(WorkflowStep).describe("The steps, in order."),
    createdAt: z.string().describe("When the workflow was first saved (ISO-8601)."),
    updatedAt: z.string().describe("When it was last saved (ISO-8601)."),
  })
  .openapi("Workflow", {
    example: {
      key: "comment-digest",
      version: 2,
      name: "Comments",
      category: "comments",
      critical: false,
      steps: [
        { type: "digest", windowSeconds: 600, key: "{{postId}}" },
        { type: "in_app", template: "comment_digest", if: "always" },
        { type: "delay", seconds: 900 },
        { type: "email", template: "comment_digest_email", if: "unread" },
      ],
      createdAt: "2026-11-21T12:00:00.000Z",
      updatedAt: "2026-11-21T12:30:00.000Z",
    },
  });

const toView = (w: Workflow) => ({ ...definitionOf(w), createdAt: new Date(w.createdAt).toISOString(), updatedAt: new Date(w.updatedAt).toISOString() });
const KeyParam = z.object({ key: WorkflowKey });

workflows.openapi(
  createRoute({
    method: "put",
    path: "/v1/workflows/{key}",
    operationId: "putWorkflow",
    tags: ["workflows"],
    summary: "Create or replace a workflow",
    description:
      "Saves the definition as a new version. Checked at save: every channel step names an existing template, a digest is only the first step, and an `if` other than `always` has an `in_app` step before it — otherwise 422 `workflow_invalid` naming each step (`steps.<i>`). Runs already started keep the version they started with.",
    request: { params: KeyParam, ...jsonRequest(WorkflowInput) },
    responses: {
      200: { description: "Replaced", content: { "application/json": { schema: WorkflowView } } },
      201: { description: "Created", content: { "application/json": { schema: WorkflowView } } },
      ...commonErrors,
      422: problemResponse("The definition cannot run (`workflow_invalid`, naming the step index)"),
    },
  }),
  async (c) => {
    const { key } = c.req.valid("param");
    const input = c.req.valid("json");
    const templates = await loadTemplates(c.env.DB, templatesOf(input.steps));
    assertRunnable(input.steps, new Set(templates.keys()));
    const { workflow, created } = await upsertWorkflow(c.env.DB, key, { name: input.name ?? null, category: input.category ?? null, critical: input.critical, steps: input.steps }, Date.now());
    return c.json(toView(workflow), created ? 201 : 200);
  },
);

workflows.openapi(
  createRoute({
    method: "get",
    path: "/v1/workflows/{key}",
    operationId: "getWorkflow",
    tags: ["workflows"],
    summary: "Get a workflow",
    description: "The current version of the definition.",
    request: { params: KeyParam },
    responses: { 200: { description: "The workflow", content: { "application/json": { schema: WorkflowView } } }, ...commonErrors, 404: problemResponse("No such workflow") },
  }),
  async (c) => {
    const workflow = await findWorkflow(c.env.DB, c.req.valid("param").key);
    if (!workflow) throw new ApiError("not_found", "No workflow has this key.");
    return c.json(toView(workflow), 200);
  },
);

const WorkflowPage = z
  .object({ items: z.array(WorkflowView).describe("Workflows in key order."), nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null at the end.") })
  .openapi("WorkflowPage", { example: { items: [], nextCursor: null } });

workflows.openapi(
  createRoute({
    method: "get",
    path: "/v1/workflows",
    operationId: "listWorkflows",
    tags: ["workflows"],
    summary: "List workflows",
    description: "Every definition, in key order, paginated.",
    request: { query: PageQuery },
    responses: { 200: { description: "A page", content: { "application/json": { schema: WorkflowPage } } }, ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const rows = await listWorkflows(c.env.DB, stringCursor(cursor) ?? "", limit + 1);
    return c.json(pageOf(rows, limit, (w) => w.key, toView), 200);
  },
);

workflows.openapi(
  createRoute({
    method: "delete",
    path: "/v1/workflows/{key}",
    operationId: "deleteWorkflow",
    tags: ["workflows"],
    summary: "Delete a workflow",
    description: "Later triggers answer 404; runs already started finish with the definition they started with.",
    request: { params: KeyParam },
    responses: { 204: { description: "Deleted" }, ...commonErrors, 404: problemResponse("No such workflow") },
  }),
  async (c) => {
    if (!(await deleteWorkflow(c.env.DB, c.req.valid("param").key))) throw new ApiError("not_found", "No workflow has this key.");
    return c.body(null, 204);
  },
);

const TriggerInput = z
  .object({
    to: z
      .union([
        UserId.describe("One recipient."),
        z.array(UserId).min(1).describe(`Up to ${MAX_TRIGGER_USERS} recipients (more → 413).`),
        z.object({ topic: TopicName.describe("Every subscriber the topic has now.") }).strict(),
      ])
      .describe("The recipients: a user id, a list of user ids, or `{topic}`."),
    data: z.record(z.string(), z.unknown()).optional().describe("What the templates render with (≤ 16 KiB of JSON); a digest collects it into `data.events`."),
    actor: z.string().min(1).max(128).optional().describe("Who caused it (templates see it as `actor`)."),
  })
  .strict()
  .openapi("WorkflowTrigger", { example: { to: ["user_42", "user_43"], data: { postId: "p1", commenter: "Ada" }, actor: "user_7" } });

const TriggerAccepted = z
  .object({ triggerId: z.string().describe("The trigger's id (the same for a replay with the same Idempotency-Key)."), recipients: z.number().int().describe("Recipients fixed at acceptance; each gets one run.") })
  .openapi("WorkflowTriggerAccepted", { example: { triggerId: "01JD0000000000000000000000", recipients: 2 } });

workflows.openapi(
  createRoute({
    method: "post",
    path: "/v1/workflows/{key}/trigger",
    operationId: "triggerWorkflow",
    tags: ["workflows"],
    summary: "Trigger a workflow",
    description: [
      "Starts one run per recipient (or joins the recipient's open digest), through the workflows queue.",
      `The recipients are fixed at acceptance; \`to\` over ${MAX_TRIGGER_USERS} users → 413 \`payload_too_large\`.`,
      "With `Idempotency-Key`: the same key and body answers the same `triggerId` (`Idempotent-Replayed: true`) and starts no",
      "second run; another body → 422 `idempotency_key_reused`; in flight → 409 `idempotency_key_in_use`.",
    ].join(" "),
    request: { params: KeyParam, headers: z.object({ "idempotency-key": IdempotencyKey.optional() }), ...jsonRequest(TriggerInput) },
    responses: {
      202: { description: "Accepted (or replayed)", content: { "application/json": { schema: TriggerAccepted } } },
      ...commonErrors,
      404: problemResponse("No such workflow or topic"),
      409: problemResponse("Idempotency key in flight"),
      422: problemResponse("Idempotency key reused with another body"),
    },
  }),
  async (c) => {
    const { key: workflowKey } = c.req.valid("param");
    const input = c.req.valid("json");
    const db = c.env.DB;
    if (Array.isArray(input.to) && input.to.length > MAX_TRIGGER_USERS) {
      throw new ApiError("payload_too_large", `\`to\` names at most ${MAX_TRIGGER_USERS} users; this one names ${input.to.length}. Use a topic for more.`);
    }
    if (dataBytes(input.data) > MAX_DATA_BYTES) throw new ApiError("payload_too_large", `\`data\` exceeds ${MAX_DATA_BYTES} bytes of JSON.`);
    const workflow = await findWorkflow(db, workflowKey);
    if (!workflow) throw new ApiError("not_found", "No workflow has this key.");
    if (typeof input.to === "object" && !Array.isArray(input.to)) await requireTopic(db, input.to.topic);

    const scope = `workflow:${workflowKey}`;
    const idempotencyKey = c.req.valid("header")["idempotency-key"] ?? null;
    const fp = idempotencyKey === null ? null : await fingerprint(input);
    const id = newId();
    const replay = async (triggerId: string | null) => {
      const stored = triggerId === null ? undefined : (await loadTriggers(db, [triggerId])).get(triggerId);
      if (!stored) throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.", { headers: { "Retry-After": "1" } });
      c.header("Idempotent-Replayed", "true");
      return c.json({ triggerId: stored.id, recipients: stored.recipients }, 202);
    };
    if (idempotencyKey !== null && fp !== null) {
      const claim = await claimKey(db, scope, idempotencyKey, fp, idempotencyTtlMs(c.env.IDEMPOTENCY_TTL_HOURS), Date.now(), id);
      if (claim.kind === "replay") return replay(claim.resourceId);
    }
    try {
      const trigger = {
        id,
        workflowKey,
        definition: definitionOf(workflow),
        data: input.data === undefined ? null : JSON.stringify(input.data),
        actor: input.actor ?? null,
        idempotencyKey,
        createdAt: Date.now(),
      };
      const to = input.to;
      const snapshot = typeof to === "string" ? snapshotUsersStatement(db, id, [to]) : Array.isArray(to) ? snapshotUsersStatement(db, id, to) : snapshotTopicStatement(db, id, to.topic);
      // One transaction: the trigger, its recipients, their count and the idempotency record.
      const results = await db.batch([
        insertTriggerStatement(db, trigger, idempotencyKey !== null ? scope : null),
        snapshot,
        countRecipientsStatement(db, id),
        ...(idempotencyKey !== null ? [completeKeyStatement(db, scope, idempotencyKey, 202, { triggerId: id }, id)] : []),
      ]);
      const counted = results[2]!.results[0] as { recipients: number } | undefined;
      if (counted === undefined) {
        // Lost the key while stalled: answer as a retry would, from what the new holder stored.
        const outcome = await existingOutcome(db, scope, idempotencyKey!, fp!);
        return replay(outcome?.resourceId ?? null);
      }
      // The sweeper re-plans a trigger whose plan was lost (src/workflows/trigger.ts).
      c.executionCtx.waitUntil(
        enqueueTriggerPlan(c.env, id).catch((error) => console.error(JSON.stringify({ level: "error", msg: "workflow plan enqueue failed", requestId: c.get("requestId"), error: String(error) }))),
      );
      return c.json({ triggerId: id, recipients: counted.recipients }, 202);
    } catch (error) {
      if (idempotencyKey !== null) await releaseKey(db, scope, idempotencyKey, id);
      throw error;
    }
  },
);

const StepView = z
  .object({
    index: z.number().int().describe("The step's place in the definition, from 0."),
    type: z.string().describe("`digest`, `delay`, `in_app`, `email`, `sms` or `push`."),
    status: z.enum(["completed", "skipped", "failed", "waiting", "pending", "cancelled"]).describe("`waiting`: a delay or digest window in progress; `pending`: not reached yet."),
    at: z.string().nullable().describe("When the step finished (ISO-8601), null before."),
    notificationId: z.string().nullable().describe("The notification a channel step created."),
    reason: z.enum(["preference", "unsubscribed", "read", "seen"]).nullable().describe("Why a step was skipped: the user's preferences, or its `if` was answered (already read / already seen)."),
  })
  .openapi("WorkflowRunStep");

const RunSchema = z
  .object({
    id: z.string().describe("The run id (`wr_<ULID>_<userId>`)."),
    userId: z.string().describe("The recipient."),
    workflowKey: z.string().describe("The workflow it runs."),
    version: z.number().int().describe("The definition version it started with and keeps."),
    status: z.enum(["running", "completed", "cancelled", "failed"]).describe("The run's state."),
    steps: z.array(StepView).describe("Every step of the definition with its state."),
    data: z.record(z.string(), z.unknown()).describe("What the steps render with; after a digest, `events` and `count`."),
    error: z.string().nullable().describe("Why a failed run failed (its dead letter holds the same)."),
    createdAt: z.string().describe("ISO-8601."),
    updatedAt: z.string().describe("ISO-8601."),
    finishedAt: z.string().nullable().describe("When it completed, failed or was cancelled (ISO-8601)."),
  })
  .openapi("WorkflowRun", {
    example: {
      id: "wr_01JD0000000000000000000000_user_42",
      userId: "user_42",
      workflowKey: "comment-digest",
      version: 2,
      status: "completed",
      steps: [
        { index: 0, type: "digest", status: "completed", at: "2026-11-21T12:10:00.000Z", notificationId: null, reason: null },
        { index: 1, type: "in_app", status: "completed", at: "2026-11-21T12:10:00.020Z", notificationId: "01JD0000000000000000000001", reason: null },
        { index: 2, type: "delay", status: "completed", at: "2026-11-21T12:25:00.000Z", notificationId: null, reason: null },
        { index: 3, type: "email", status: "skipped", at: "2026-11-21T12:25:00.010Z", notificationId: null, reason: "read" },
      ],
      data: { postId: "p1", events: [{ postId: "p1", commenter: "Ada" }], count: 1 },
      error: null,
      createdAt: "2026-11-21T12:00:00.000Z",
      updatedAt: "2026-11-21T12:25:00.010Z",
      finishedAt: "2026-11-21T12:25:00.010Z",
    },
  });

const RunParam = z.object({ id: z.string().min(1).max(200).describe("The run id.") });

/** The run `id` names, from its user's object. @throws ApiError `not_found`. */
async function requireRun(env: Parameters<typeof workflowsOf>[0], id: string, action?: "cancel"): Promise<RunView> {
  const userId = userOfRun(id);
  const parsed = userId === null ? null : UserId.safeParse(userId);
  if (!parsed?.success) throw new ApiError("not_found", "No workflow run has this id.");
  const stub = workflowsOf(env, parsed.data);
  const run = action === "cancel" ? await stub.cancel(id) : await stub.run(id);
  if (!run) throw new ApiError("not_found", "No workflow run has this id.");
  return run;
}

workflows.openapi(
  createRoute({
    method: "get",
    path: "/v1/workflow-runs/{id}",
    operationId: "getWorkflowRun",
    tags: ["workflows"],
    summary: "Get a workflow run",
    description: "The run with its step timeline, read from the recipient's own UserWorkflows object. Finished runs are kept 30 days.",
    request: { params: RunParam },
    responses: { 200: { description: "The run", content: { "application/json": { schema: RunSchema } } }, ...commonErrors, 404: problemResponse("No such run") },
  }),
  async (c) => c.json(await requireRun(c.env, c.req.valid("param").id), 200),
);

workflows.openapi(
  createRoute({
    method: "post",
    path: "/v1/workflow-runs/{id}/cancel",
    operationId: "cancelWorkflowRun",
    tags: ["workflows"],
    summary: "Cancel a workflow run",
    description: "A running run sends nothing more and ends `cancelled`; a finished run is answered as it is. Idempotent.",
    request: { params: RunParam },
    responses: { 200: { description: "The run after", content: { "application/json": { schema: RunSchema } } }, ...commonErrors, 404: problemResponse("No such run") },
  }),
  async (c) => c.json(await requireRun(c.env, c.req.valid("param").id, "cancel"), 200),
);

const RunPage = z
  .object({ items: z.array(RunSchema).describe("Runs, newest first."), nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null at the end.") })
  .openapi("WorkflowRunPage", { example: { items: [], nextCursor: null } });

workflows.openapi(
  createRoute({
    method: "get",
    path: "/v1/users/{userId}/workflow-runs",
    operationId: "listUserWorkflowRuns",
    tags: ["workflows"],
    summary: "List a user's workflow runs",
    description: "Newest first, paginated, from the user's UserWorkflows object (finished runs are kept 30 days).",
    request: { params: z.object({ userId: UserId }), query: PageQuery },
    responses: { 200: { description: "A page", content: { "application/json": { schema: RunPage } } }, ...commonErrors },
  }),
  async (c) => {
    const { userId } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const page = await workflowsOf(c.env, userId).runs({ limit, cursor: stringCursor(cursor) });
    return c.json({ items: page.items, nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor) }, 200);
  },
);
